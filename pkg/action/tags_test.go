package action

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

func newTestAction(t testing.TB, props ...Prop) (*Action, *Recorder) {
	t.Helper()
	rec := &Recorder{}
	a, err := New(Options{
		Jail: "sshd", Name: "test", Props: props, Runner: rec,
		Hostname: func() string { return "host.example.org" },
		Now:      func() time.Time { return time.Unix(1795610000, 0) },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a, rec
}

func props(kv ...string) []Prop {
	var out []Prop
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, Prop{Name: kv[i], Value: kv[i+1]})
	}
	return out
}

func TestRender_Properties(t *testing.T) {
	tests := []struct {
		name    string
		in      []Prop
		family  string
		op      string
		want    string
		wantErr error
	}{
		{
			name: "simple",
			in:   props("actionstart", "iptables -N f2b-<name>", "name", "sshd"),
			op:   "actionstart", want: "iptables -N f2b-sshd",
		},
		{
			name: "chained",
			in:   props("actionstart", "<iptables> -N <chain>", "iptables", "iptables <lockingopt>", "lockingopt", "-w", "chain", "f2b-<name>", "name", "ssh"),
			op:   "actionstart", want: "iptables -w -N f2b-ssh",
		},
		{
			name: "nested tag name",
			in:   props("actionstart", "x <rule_match-<type>>", "type", "multiport", "rule_match-multiport", "dport <port>", "port", "22"),
			op:   "actionstart", want: "x dport 22",
		},
		{
			name:   "conditional family",
			in:     props("actionstart", "<iptables> -N x", "iptables", "iptables", "iptables?family=inet6", "ip6tables"),
			family: "inet6", op: "actionstart", want: "ip6tables -N x",
		},
		{
			name:   "conditional falls back",
			in:     props("actionstart", "<iptables> -N x", "iptables", "iptables", "iptables?family=inet6", "ip6tables"),
			family: "inet4", op: "actionstart", want: "iptables -N x",
		},
		{
			name:   "family tag",
			in:     props("actionstart", "echo <family> <ip>"),
			family: "inet6", op: "actionstart", want: "echo inet6 ",
		},
		{
			name: "unknown tags stay",
			in:   props("actionstart", "echo <nosuch> <STDIN> a<b"),
			op:   "actionstart", want: "echo <nosuch> <STDIN> a<b",
		},
		{
			name: "br sp hostnames",
			in:   props("actionstart", "a<br>b<sp>c <fq-hostname> <sh-hostname>"),
			op:   "actionstart", want: "a\nb c host.example.org host",
		},
		{
			name: "matches property escaped",
			in:   props("actionstart", "echo <matches>", "matches", "a;b"),
			op:   "actionstart", want: `echo a\;b`,
		},
		{
			name:    "self reference",
			in:      props("actionstart", "<a>", "a", "x<a>"),
			op:      "actionstart",
			wantErr: ErrSelfReference,
		},
		{
			name:    "cycle",
			in:      props("actionstart", "<a>", "a", "<b>", "b", "<a>"),
			op:      "actionstart",
			wantErr: ErrSelfReference,
		},
		{
			name: "empty operation",
			in:   props("name", "x"),
			op:   "actionstop", want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := newTestAction(t, tt.in...)
			got, err := a.Render(tt.op, tt.family, nil)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got.Script != tt.want || len(got.Args) != 0 {
				t.Errorf("Render = %q %q, want %q", got.Script, got.Args, tt.want)
			}
		})
	}
}

func TestRender_Ticket(t *testing.T) {
	tm := time.Unix(1795610394, 34608800)
	v4 := &Ticket{IP: netip.MustParseAddr("192.0.2.77"), Failures: 3, Time: tm, BanTime: time.Hour, BanCount: 2}
	v6 := &Ticket{IP: netip.MustParseAddr("2001:db8::42"), Failures: 1, Time: tm, BanTime: -1}
	evil := &Ticket{
		IP:      netip.MustParseAddr("198.51.100.1"),
		Matches: []string{"a'b;c", "d$(e)", "f"},
		Data:    map[string]string{"user": "`id`", "fport": "22", "fid": "x y"},
	}
	tests := []struct {
		name     string
		in       []Prop
		ticket   *Ticket
		want     string
		wantArgs []string
	}{
		{
			name:   "ipv4 tags",
			in:     props("actionban", "<ip> <family> <ip-rev> <fid> <failures> <time> <bantime> <bancount> <restored>"),
			ticket: v4,
			want:   "192.0.2.77 inet4 77.2.0.192. 192.0.2.77 3 1795610394.0346088 3600 2 0",
		},
		{
			name:   "ipv6 conditional",
			in:     props("actionban", "<cmd> <ip> <bantime> <ip-rev>", "cmd", "iptables", "cmd?family=inet6", "ip6tables"),
			ticket: v6,
			want:   "ip6tables 2001:db8::42 -1 2.4.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.",
		},
		{
			name:     "unsafe values become variables",
			in:       props("actionban", `echo "<ip> <matches> <F-USER> <F-PORT> <F-ID> <F-NONE>" <ipmatches>`),
			ticket:   evil,
			want:     "f2bV_matches=$0 f2bV_ipmatches=$1 f2bV_F_user=$2 \necho \"198.51.100.1 $f2bV_matches $f2bV_F_user 22 x y \" $f2bV_ipmatches",
			wantArgs: []string{"a'b;c\nd$(e)\nf", "a'b;c\nd$(e)\nf", "`id`"},
		},
		{
			name:     "property values are not recursed into ticket",
			in:       props("actionban", "<ip> <a>", "a", "<b>"),
			ticket:   &Ticket{ID: "<a>"},
			want:     "f2bV_ip=$0 \n$f2bV_ip <b>",
			wantArgs: []string{"<a>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := newTestAction(t, tt.in...)
			got, err := a.Render("actionban", "", tt.ticket)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got.Script != tt.want {
				t.Errorf("script = %q, want %q", got.Script, tt.want)
			}
			if !reflect.DeepEqual(got.Args, tt.wantArgs) {
				t.Errorf("args = %q, want %q", got.Args, tt.wantArgs)
			}
		})
	}
}

func TestProps_GetSet(t *testing.T) {
	a, _ := newTestAction(t, props("actionban", "x", "port", "ssh", "bantime", "99")...)
	if v, ok := a.Get("actionstart"); !ok || v != "" {
		t.Errorf("actionstart = %v %v, want empty", v, ok)
	}
	if _, ok := a.Get("bantime"); ok {
		t.Error("bantime property must be ignored")
	}
	if v, _ := a.Get("timeout"); v != int64(60) {
		t.Errorf("timeout = %#v, want 60", v)
	}
	for _, tt := range []struct {
		name    string
		in      string
		want    any
		wantErr bool
	}{
		{name: "int", in: "30", want: int64(30)},
		{name: "unit", in: "1m", want: int64(60)},
		{name: "compound", in: "1h 30m", want: int64(5400)},
		{name: "float", in: "1.5", want: 1.5},
		{name: "bad", in: "1x", wantErr: true},
	} {
		err := a.Set("timeout", tt.in)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%s: Set err = %v", tt.name, err)
		}
		if got, _ := a.Get("timeout"); !tt.wantErr && got != tt.want {
			t.Errorf("%s: timeout = %#v, want %#v", tt.name, got, tt.want)
		}
	}
	if err := a.Set("port", "22"); err != nil {
		t.Fatal(err)
	}
	c, _ := a.Render("actionban", "", &Ticket{})
	if c.Script != "x" {
		t.Errorf("script = %q", c.Script)
	}
	var names []string
	for _, p := range a.Props() {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); !strings.Contains(got, "actionban,") || !strings.HasSuffix(got, "port") {
		t.Errorf("Props order = %s", got)
	}
}

func TestStr2Seconds(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    float64
		wantErr bool
	}{
		{name: "plain", in: "600", want: 600},
		{name: "day", in: "1d", want: 86400},
		{name: "combined", in: "1d12h", want: 129600},
		{name: "spaced", in: "1h 30m", want: 5400},
		{name: "negative", in: "-1", want: -1},
		{name: "week", in: "1w", want: 604800},
		{name: "sec word", in: "30sec", want: 30},
		{name: "minus term", in: "1h-30m", want: 1800},
		{name: "bad unit", in: "1x", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := str2seconds(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRender_MappedIPv4(t *testing.T) {
	a, _ := newTestAction(t, props("actionban", "<ip> <family> <ip-rev>")...)
	got, err := a.Render("actionban", "", &Ticket{IP: netip.MustParseAddr("::ffff:192.0.2.1")})
	if err != nil {
		t.Fatal(err)
	}
	if want := "192.0.2.1 inet4 1.2.0.192."; got.Script != want {
		t.Errorf("script = %q, want %q", got.Script, want)
	}
}

func TestRender_TicketlessBantime(t *testing.T) {
	tests := []struct {
		name string
		in   func() time.Duration
		want string
	}{
		{name: "jail bantime", in: func() time.Duration { return 10 * time.Minute }, want: "create timeout 600"},
		{name: "permanent", in: func() time.Duration { return -1 }, want: "create timeout -1"},
		{name: "unknown", in: nil, want: "create timeout <bantime>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := New(Options{Runner: &Recorder{}, BanTime: tt.in,
				Props: props("actionstart", "create timeout <bantime>")})
			if err != nil {
				t.Fatal(err)
			}
			got, err := a.Render("actionstart", "", nil)
			if err != nil || got.Script != tt.want {
				t.Errorf("Render = %q, %v; want %q", got.Script, err, tt.want)
			}
		})
	}
}
