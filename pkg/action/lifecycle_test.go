package action

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

var errFail = errors.New("exit 1")

func ticket(ip string) *Ticket {
	return &Ticket{IP: netip.MustParseAddr(ip)}
}

// failOn makes the recorder fail every script containing one of subs.
func failOn(rec *Recorder, subs ...string) {
	rec.Fail = func(c Command) error {
		for _, s := range subs {
			if strings.Contains(c.Script, s) {
				return errFail
			}
		}
		return nil
	}
}

func condProps() []Prop {
	return props(
		"actionstart", "<ipt> start", "actionstop", "<ipt> stop",
		"actionban", "<ipt> ban <ip>", "actionunban", "<ipt> unban <ip>",
		"actionflush", "<ipt> flush",
		"ipt", "iptables", "ipt?family=inet6", "ip6tables",
	)
}

func TestLifecycle(t *testing.T) {
	type step struct {
		op string // start, stop, ban, unban, flush, reban, check
		ip string
	}
	tests := []struct {
		name    string
		in      []Prop
		fail    []string
		steps   []step
		want    []string
		wantErr string
	}{
		{
			name:  "plain action starts at once",
			in:    props("actionstart", "start", "actionstop", "stop", "actionban", "ban <ip>", "actionunban", "unban <ip>"),
			steps: []step{{op: "start"}, {op: "ban", ip: "192.0.2.1"}, {op: "unban", ip: "192.0.2.1"}, {op: "stop"}},
			want:  []string{"start", "ban 192.0.2.1", "unban 192.0.2.1", "stop"},
		},
		{
			name:  "conditional action starts on demand per family",
			in:    condProps(),
			steps: []step{{op: "start"}, {op: "ban", ip: "192.0.2.1"}, {op: "ban", ip: "192.0.2.2"}, {op: "ban", ip: "2001:db8::1"}, {op: "stop"}},
			want: []string{
				"iptables start", "iptables ban 192.0.2.1", "iptables ban 192.0.2.2",
				"ip6tables start", "ip6tables ban 2001:db8::1", "iptables stop", "ip6tables stop",
			},
		},
		{
			name:  "stop runs only started families",
			in:    condProps(),
			steps: []step{{op: "start"}, {op: "ban", ip: "2001:db8::1"}, {op: "stop"}, {op: "stop"}},
			want:  []string{"ip6tables start", "ip6tables ban 2001:db8::1", "ip6tables stop"},
		},
		{
			name:  "unban without items does nothing",
			in:    condProps(),
			steps: []step{{op: "unban", ip: "192.0.2.1"}, {op: "ban", ip: "192.0.2.1"}, {op: "unban", ip: "2001:db8::1"}},
			want:  []string{"iptables start", "iptables ban 192.0.2.1"},
		},
		{
			name:  "flush once per family with items",
			in:    condProps(),
			steps: []step{{op: "ban", ip: "192.0.2.1"}, {op: "ban", ip: "2001:db8::1"}, {op: "flush"}, {op: "flush"}, {op: "unban", ip: "192.0.2.1"}},
			want:  []string{"iptables start", "iptables ban 192.0.2.1", "ip6tables start", "ip6tables ban 2001:db8::1", "iptables flush", "ip6tables flush"},
		},
		{
			name:  "identical command per family runs once",
			in:    props("actionstart", "same", "actionban", "<x> <ip>", "x", "a", "x?family=inet6", "b", "actionstart_on_demand", "false"),
			steps: []step{{op: "start"}},
			want:  []string{"same"},
		},
		{
			name:  "explicit families",
			in:    props("actionstart", "s <family>", "families", "inet4, inet6"),
			steps: []step{{op: "start"}, {op: "stop"}},
			want:  []string{"s inet4", "s inet6"},
		},
		{
			name:    "ban failure without check retries once",
			in:      props("actionban", "ban <ip>"),
			fail:    []string{"ban"},
			steps:   []step{{op: "ban", ip: "192.0.2.1"}},
			want:    []string{"ban 192.0.2.1", "ban 192.0.2.1"},
			wantErr: "error banning 192.0.2.1",
		},
		{
			name:  "ban failure with failing check repairs and retries",
			in:    props("actionstart", "start", "actionstop", "stop", "actionban", "ban <ip>", "actioncheck", "check", "actionrepair", "repair"),
			fail:  []string{"ban", "check"},
			steps: []step{{op: "start"}, {op: "ban", ip: "192.0.2.1"}},
			want:  []string{"start", "ban 192.0.2.1", "check", "repair", "check"},
			// the re-check fails too, so the ban is given up
			wantErr: "error banning 192.0.2.1",
		},
		{
			// fail2ban quirk kept: the ticket's family (inet4) was never
			// started on its own (the action started family ""), so the
			// stop is a no-op and the start is skipped as "already run".
			name:  "repair by stop and start of an unconditional action",
			in:    props("actionstart", "start", "actionstop", "stop", "actionban", "ban <ip>", "actioncheck", "check"),
			fail:  []string{"ban", "check"},
			steps: []step{{op: "start"}, {op: "ban", ip: "192.0.2.1"}},
			want:  []string{"start", "ban 192.0.2.1", "check", "check"},
			// the re-check fails too
			wantErr: "error banning 192.0.2.1",
		},
		{
			name:    "unban does not repair",
			in:      props("actionban", "ban <ip>", "actionunban", "unban <ip>", "actioncheck", "check", "actionrepair", "repair"),
			fail:    []string{"unban", "check"},
			steps:   []step{{op: "ban", ip: "192.0.2.1"}, {op: "unban", ip: "192.0.2.1"}},
			want:    []string{"ban 192.0.2.1", "unban 192.0.2.1", "check"},
			wantErr: "error unbanning 192.0.2.1",
		},
		{
			name:  "repair by stop and start of a conditional family",
			in:    append(condProps(), props("actioncheck", "<ipt> check")...),
			fail:  []string{"ban", "check"},
			steps: []step{{op: "ban", ip: "2001:db8::1"}},
			want: []string{"ip6tables start", "ip6tables ban 2001:db8::1", "ip6tables check",
				"ip6tables stop", "ip6tables start", "ip6tables check"},
			wantErr: "error banning 2001:db8::1",
		},
		{
			name:  "reban uses actionreban",
			in:    props("actionban", "ban <ip>", "actionreban", "reban <ip>"),
			steps: []step{{op: "reban", ip: "192.0.2.1"}},
			want:  []string{"reban 192.0.2.1"},
		},
		{
			name:  "reban falls back to actionban",
			in:    props("actionban", "ban <ip>"),
			steps: []step{{op: "reban", ip: "192.0.2.1"}},
			want:  []string{"ban 192.0.2.1"},
		},
		{
			name:    "start failure is reported",
			in:      props("actionstart", "start"),
			fail:    []string{"start"},
			steps:   []step{{op: "start"}},
			want:    []string{"start"},
			wantErr: "error starting action sshd/test: script error",
		},
		{
			name:    "self reference fails the operation",
			in:      props("actionstart", "<a>", "a", "<a>"),
			steps:   []step{{op: "start"}},
			wantErr: "properties contain self referencing",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, rec := newTestAction(t, tt.in...)
			failOn(rec, tt.fail...)
			var err error
			for _, s := range tt.steps {
				if e := runStep(t.Context(), a, s.op, s.ip); e != nil {
					err = e
				}
			}
			if tt.wantErr == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if got := rec.Scripts(); !reflect.DeepEqual(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
				t.Errorf("commands:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func runStep(ctx context.Context, a *Action, op, ip string) error {
	switch op {
	case "start":
		return a.Start(ctx)
	case "stop":
		return a.Stop(ctx)
	case "flush":
		return a.Flush(ctx)
	case "check":
		return a.Check(ctx)
	case "ban":
		return a.Ban(ctx, ticket(ip))
	case "reban":
		return a.Reban(ctx, ticket(ip))
	case "unban":
		return a.Unban(ctx, ticket(ip))
	}
	panic("unknown step " + op)
}

func TestCheck_RepairSucceeds(t *testing.T) {
	var epoch atomic.Int64
	rec := &Recorder{}
	a, err := New(Options{Jail: "j", Name: "a", Runner: rec, BanEpoch: &epoch,
		Props: props("actionstart", "start", "actionban", "ban <ip>", "actioncheck", "check", "actionrepair", "repair")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	checks := 0
	rec.Fail = func(c Command) error {
		if c.Script == "check" {
			if checks++; checks == 1 {
				return errFail
			}
		}
		return nil
	}
	if err := a.Check(ctx); err != nil {
		t.Fatalf("Check: %v", err)
	}
	want := []string{"start", "check", "repair", "check"}
	if got := rec.Scripts(); !reflect.DeepEqual(got, want) {
		t.Errorf("commands %q, want %q", got, want)
	}
	if a.BanEpoch() != 1 || epoch.Load() != 1 {
		t.Errorf("ban epoch = %d (jail %d), want 1", a.BanEpoch(), epoch.Load())
	}
}

func TestTimeoutPassedToRunner(t *testing.T) {
	a, rec := newTestAction(t, props("actionstart", "s", "timeout", "2m")...)
	if err := a.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	cmds := rec.Commands()
	if len(cmds) != 1 || cmds[0].Timeout.Seconds() != 120 {
		t.Errorf("commands = %+v, want one with a 2m timeout", cmds)
	}
}
