package filter_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/filter"
)

var t0 = time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)

// noDates is a DateFinder that finds nothing: lines are matched as is.
type noDates struct{}

func (noDates) FindDate(string) (filter.DateMatch, bool) { return filter.DateMatch{}, false }

func newFilter(t *testing.T, o filter.Options) *filter.Filter {
	t.Helper()
	if o.Dates == nil {
		o.Dates = noDates{}
	}
	if o.Now == nil {
		o.Now = func() time.Time { return t0 }
	}
	f, err := filter.New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

// ids lists the failure ids of a result (nofail ones marked with "~").
func ids(r filter.Result) []string {
	var out []string
	for _, f := range r.Failures {
		s := f.ID.String()
		if f.NoFail {
			s = "~" + s
		}
		out = append(out, s)
	}
	return out
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      filter.Options
		wantErr string
	}{
		{name: "no failure id", in: filter.Options{FailRegex: []string{`^foo (\S+)$`}}, wantErr: `failregex[0]: no failure-id group in "^foo (\\S+)$"`},
		{name: "prefregex provides id", in: filter.Options{PrefRegex: `^<F-MLFID>\S+</F-MLFID> <F-CONTENT>.+</F-CONTENT>$`, FailRegex: []string{`^foo$`}}},
		{name: "bad regex names index", in: filter.Options{FailRegex: []string{`^<HOST>$`, `^(<HOST>$`}}, wantErr: `failregex[1] "^(<HOST>$"`},
		{name: "empty regex", in: filter.Options{FailRegex: []string{"  "}}, wantErr: "cannot add empty regex"},
		{name: "all errors reported", in: filter.Options{FailRegex: []string{`(`}, IgnoreRegex: []string{`)`}}, wantErr: `ignoreregex[0]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Dates = noDates{}
			_, err := filter.New(tt.in)
			if (err != nil) != (tt.wantErr != "") {
				t.Fatalf("New error = %v, want %q", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestProcessLine(t *testing.T) {
	tests := []struct {
		name  string
		opts  filter.Options
		in    []string
		want  [][]string // failure ids per line
		wantD map[string]string
	}{
		{
			name: "host and fid",
			opts: filter.Options{FailRegex: []string{`^auth fail from <HOST>$`, `^bad user <F-ID>\S+</F-ID>$`}},
			in:   []string{"auth fail from 192.0.2.1", "bad user bob", "auth fail from [2001:db8::7]", "auth fail from ::ffff:192.0.2.9", "nothing"},
			want: [][]string{{"192.0.2.1"}, {"bob"}, {"2001:db8::7"}, {"192.0.2.9"}, nil},
		},
		{
			name:  "fid next to an address keeps the address as ip",
			opts:  filter.Options{FailRegex: []string{`^user <F-ID>\S+</F-ID> from <ADDR>$`}},
			in:    []string{"user bob from 192.0.2.5"},
			want:  [][]string{{"bob"}},
			wantD: map[string]string{"ip": "192.0.2.5", "fid": "bob", "ip4": "192.0.2.5"},
		},
		{
			name: "subnet",
			opts: filter.Options{FailRegex: []string{`^net <SUBNET>$`}},
			in:   []string{"net 192.0.2.0/24", "net 192.0.2.3"},
			want: [][]string{{"192.0.2.0/24"}, {"192.0.2.3"}},
		},
		{
			name: "ignoreregex after match",
			opts: filter.Options{FailRegex: []string{`^fail <HOST>`}, IgnoreRegex: []string{`trusted`}},
			in:   []string{"fail 192.0.2.1 trusted", "fail 192.0.2.2"},
			want: [][]string{nil, {"192.0.2.2"}},
		},
		{
			name: "prefregex content",
			opts: filter.Options{
				PrefRegex: `^svc\[\d+\]: <F-CONTENT>.+</F-CONTENT>$`,
				FailRegex: []string{`^login failed from <HOST>$`},
			},
			in:   []string{"svc[1]: login failed from 192.0.2.1", "other[1]: login failed from 192.0.2.2", "login failed from 192.0.2.3"},
			want: [][]string{{"192.0.2.1"}, nil, nil},
		},
		{
			name: "usedns no drops names",
			opts: filter.Options{FailRegex: []string{`^fail <HOST>$`}, UseDNS: filter.UseDNSNo},
			in:   []string{"fail example.org", "fail 192.0.2.1"},
			want: [][]string{nil, {"192.0.2.1"}},
		},
		{
			name: "usedns raw keeps names",
			opts: filter.Options{FailRegex: []string{`^fail <HOST>$`}, UseDNS: filter.UseDNSRaw},
			in:   []string{"fail example.org"},
			want: [][]string{{"example.org"}},
		},
		{
			name: "usedns yes resolves",
			opts: filter.Options{FailRegex: []string{`^fail <HOST>$`}, UseDNS: filter.UseDNSYes, Resolver: fakeResolver{"bad.example": {"192.0.2.66", "2001:db8::66"}}},
			in:   []string{"fail bad.example", "fail unknown.example"},
			want: [][]string{{"192.0.2.66", "2001:db8::66"}, nil},
		},
		{
			name: "server mode stops at first regex",
			opts: filter.Options{FailRegex: []string{`^x <HOST>`, `<HOST>$`}},
			in:   []string{"x 192.0.2.1"},
			want: [][]string{{"192.0.2.1"}},
		},
		{
			name: "check-all reports every regex",
			opts: filter.Options{FailRegex: []string{`^x <HOST>`, `<HOST>$`}, CheckAll: true},
			in:   []string{"x 192.0.2.1"},
			want: [][]string{{"192.0.2.1", "192.0.2.1"}},
		},
		{
			name: "alt user",
			opts: filter.Options{FailRegex: []string{`^fail <HOST>(?: user=<F-USER>\S*</F-USER>)? ruser=<F-ALT_USER>\S*</F-ALT_USER>$`}},
			in:   []string{"fail 192.0.2.1 user= ruser=carol"},
			want: [][]string{{"192.0.2.1"}}, wantD: map[string]string{"user": "carol", "alt_user": "carol", "ip4": "192.0.2.1"},
		},
		{
			name: "nofail without session is reported as such",
			opts: filter.Options{FailRegex: []string{`^<F-NOFAIL>ok</F-NOFAIL> <HOST>$`}},
			in:   []string{"ok 192.0.2.1"},
			want: [][]string{{"~192.0.2.1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFilter(t, tt.opts)
			for i, line := range tt.in {
				r := f.ProcessLine(line)
				if got := ids(r); !slices.Equal(got, tt.want[i]) {
					t.Errorf("line %q: ids %q, want %q", line, got, tt.want[i])
				}
				if tt.wantD != nil && len(r.Failures) > 0 {
					for k, v := range tt.wantD {
						if got, _ := r.Failures[0].Data.Get(k); got != v {
							t.Errorf("line %q: data[%s] = %q, want %q", line, k, got, v)
						}
					}
				}
			}
		})
	}
}

type fakeResolver map[string][]string

func (r fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	s, ok := r[host]
	if !ok {
		return nil, errors.New("no such host")
	}
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

// sessionOptions is a small mlfid filter: a session per sshd pid, with a
// pending failure, a nofail, a gained and a forget rule, plus extra
// failregexes.
func sessionOptions(extra ...string) filter.Options {
	return filter.Options{
		PrefRegex: `^<F-MLFID>sshd\[\d+\]:</F-MLFID> <F-CONTENT>.+</F-CONTENT>$`,
		FailRegex: append([]string{
			`^Connection from <HOST>$`,
			`^Failed password for <F-USER>\S+</F-USER>$`,
			`^Failed <F-NOFAIL>publickey</F-NOFAIL> for <F-USER>\S+</F-USER> from <HOST>$`,
			`^<F-MLFGAINED>Accepted</F-MLFGAINED> \S+ for <F-USER>\S+</F-USER> from <HOST>$`,
			`^<F-MLFFORGET>Disconnected</F-MLFFORGET> from <HOST>$`,
		}, extra...),
	}
}

// TestSessions exercises mlfid: pending failures, nofail, gained, users.
func TestSessions(t *testing.T) {
	opts := sessionOptions()
	tests := []struct {
		name        string
		in          []string
		wantIDs     [][]string
		wantUsers   []string // of the last failure
		wantMatches int      // of the last failure
	}{
		{
			name:        "failure reported with its connection line",
			in:          []string{"sshd[1]: Failed password for bob", "sshd[1]: Connection from 192.0.2.1"},
			wantIDs:     [][]string{nil, {"192.0.2.1"}},
			wantUsers:   []string{"bob"},
			wantMatches: 2,
		},
		{
			name:    "publickey probe then success is no failure",
			in:      []string{"sshd[2]: Failed publickey for bob from 192.0.2.2", "sshd[2]: Accepted publickey for bob from 192.0.2.2"},
			wantIDs: [][]string{nil, nil},
		},
		{
			name:        "two users cancel nofail",
			in:          []string{"sshd[3]: Failed publickey for bob from 192.0.2.3", "sshd[3]: Failed publickey for eve from 192.0.2.3"},
			wantIDs:     [][]string{nil, {"192.0.2.3"}},
			wantUsers:   []string{"bob", "eve"},
			wantMatches: 2,
		},
		{
			name:    "forget ends the session",
			in:      []string{"sshd[4]: Failed password for bob", "sshd[4]: Disconnected from 192.0.2.4", "sshd[4]: Connection from 192.0.2.4"},
			wantIDs: [][]string{nil, {"192.0.2.4"}, {"192.0.2.4"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFilter(t, opts)
			var last filter.Result
			for i, line := range tt.in {
				last = f.ProcessLine(line)
				if got := ids(last); !slices.Equal(got, tt.wantIDs[i]) {
					t.Errorf("line %q: ids %q, want %q", line, got, tt.wantIDs[i])
				}
			}
			if tt.wantMatches > 0 {
				fl := last.Failures[0]
				if !slices.Equal(fl.Users, tt.wantUsers) || len(fl.Matches) != tt.wantMatches {
					t.Errorf("users %q matches %q, want %q and %d matches", fl.Users, fl.Matches, tt.wantUsers, tt.wantMatches)
				}
			}
		})
	}
}

// TestMultiLine: maxlines buffer with <SKIPLINES>; matched lines are
// consumed, skipped lines stay.
func TestMultiLine(t *testing.T) {
	f := newFilter(t, filter.Options{
		MaxLines:  4,
		FailRegex: []string{`^conn (?P<c>\d+) start from <HOST>$<SKIPLINES>^conn (?P=c) auth failed$`},
		CheckAll:  true,
	})
	in := []string{"conn 1 start from 192.0.2.1", "noise", "conn 1 auth failed", "conn 1 auth failed"}
	want := [][]string{nil, nil, {"192.0.2.1"}, nil}
	for i, line := range in {
		r := f.ProcessLine(line)
		if got := ids(r); !slices.Equal(got, want[i]) {
			t.Fatalf("line %d %q: ids %q, want %q", i, line, got, want[i])
		}
		if i == 2 {
			fl := r.Failures[0]
			if !slices.Equal(fl.Matches, []string{in[0], in[2]}) {
				t.Errorf("matches = %q, want the two conn lines", fl.Matches)
			}
			if !slices.Equal(r.Lines, []string{in[0], in[2]}) {
				t.Errorf("consumed lines = %q", r.Lines)
			}
		}
	}
}

// TestDateCut: the date text is cut out (not replaced) and the line's time
// is the parsed one.
func TestDateCut(t *testing.T) {
	f, err := filter.New(filter.Options{
		FailRegex:   []string{`^\[\] fail <HOST>$`},
		DatePattern: `^\[(%Y-%m-%d %H:%M:%S)\]`,
		Now:         func() time.Time { return t0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	r := f.ProcessLine("[2026-11-25 12:59:00] fail 192.0.2.1")
	if got := ids(r); !slices.Equal(got, []string{"192.0.2.1"}) {
		t.Fatalf("ids = %q (date found %v)", got, r.DateFound)
	}
	if !r.DateFound || r.Failures[0].Time.IsZero() {
		t.Errorf("date not found: %+v", r)
	}
}

func TestProcessLineAt(t *testing.T) {
	f := newFilter(t, filter.Options{FailRegex: []string{`^fail <HOST>$`}})
	at := t0.Add(-time.Minute)
	r := f.ProcessLineAt("fail 192.0.2.1", at)
	if len(r.Failures) != 1 || !r.Failures[0].Time.Equal(at) {
		t.Fatalf("ProcessLineAt = %+v", r)
	}
}
