package jail

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/tags"
)

func TestIgnore(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		ignoreSelf bool
		command    func(t Ticket) (bool, error)
		want       bool // counted
	}{
		{name: "self ignored", in: "192.0.2.100", ignoreSelf: true},
		{name: "self counted when off", in: "192.0.2.100", want: true},
		{name: "single ignoreip", in: "198.51.100.1"},
		{name: "subnet ignoreip", in: "10.9.8.7"},
		{name: "dns ignoreip", in: "203.0.113.50"},
		{name: "not ignored", in: "203.0.113.51", want: true},
		{name: "command exit 0 ignores", in: "203.0.113.52", command: func(Ticket) (bool, error) { return true, nil }},
		{name: "command exit 1 counts", in: "203.0.113.52", command: func(Ticket) (bool, error) { return false, nil }, want: true},
		{name: "command error counts", in: "203.0.113.52", command: func(Ticket) (bool, error) { return false, errors.New("exit 2") }, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{
				Self:     func(context.Context) []netip.Addr { return []netip.Addr{ip("192.0.2.100")} },
				Resolver: fakeResolver{"trusted.example": {"203.0.113.50"}},
			}
			if tt.command != nil {
				opts.IgnoreCommand = cmdFunc(func(_ context.Context, cmd string, tk Ticket) (bool, error) {
					if cmd != "check <ip>" || tk.String() != tt.in {
						t.Errorf("ignorecommand got %q for %s", cmd, tk)
					}
					return tt.command(tk)
				})
			}
			j := newTestJail(t, opts)
			j.SetIgnoreSelf(tt.ignoreSelf)
			j.SetIgnoreCommand("check <ip>")
			for _, e := range []string{"198.51.100.1", "10.0.0.0/8", "trusted.example"} {
				if err := j.IgnoreIP().Add(e); err != nil {
					t.Fatal(err)
				}
			}
			j.AddFailure(t.Context(), fail(tt.in, time.Now()))
			if got := j.Status().TotalFailed == 1; got != tt.want {
				t.Errorf("counted = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIgnoreCache(t *testing.T) {
	clk := newClock()
	calls := 0
	j := newTestJail(t, Options{Now: clk.Now, IgnoreCommand: cmdFunc(func(context.Context, string, Ticket) (bool, error) {
		calls++
		return calls%2 == 1, nil // the first verdict is "ignore"
	})})
	j.SetIgnoreCommand("check")
	j.SetIgnoreCache(&IgnoreCacheOptions{Key: "<ip>", MaxCount: 2, MaxTime: time.Minute})
	ctx := t.Context()
	for range 3 {
		j.AddFailure(ctx, fail("192.0.2.1", clk.Now()))
	}
	if calls != 1 || j.Status().TotalFailed != 0 {
		t.Fatalf("calls = %d, failed = %d; want the cached ignore verdict", calls, j.Status().TotalFailed)
	}
	clk.Advance(time.Minute)
	j.AddFailure(ctx, fail("192.0.2.1", clk.Now()))
	if calls != 2 || j.Status().TotalFailed != 1 {
		t.Fatalf("after max-time: calls = %d, failed = %d", calls, j.Status().TotalFailed)
	}
	j.AddFailure(ctx, fail("192.0.2.2", clk.Now())) // call 3
	j.AddFailure(ctx, fail("192.0.2.3", clk.Now())) // call 4, evicts 192.0.2.1
	j.AddFailure(ctx, fail("192.0.2.1", clk.Now())) // call 5
	if calls != 5 {
		t.Errorf("calls = %d, want 5 (FIFO max-count 2)", calls)
	}
	if o := j.IgnoreCache(); o == nil || o.MaxCount != 2 {
		t.Errorf("IgnoreCache() = %+v", o)
	}
}

func TestCacheKey(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "ip", in: "<ip>", want: "192.0.2.1"},
		{name: "tag", in: "<ip>-<F-USER>", want: "192.0.2.1-root"},
		{name: "unknown kept", in: "<ip>:<other>", want: "192.0.2.1:<other>"},
	}
	tk := &Ticket{IP: ip("192.0.2.1"), Tags: tags.List{{Name: "user", Value: "root"}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cacheKey(tt.in, tk); got != tt.want {
				t.Errorf("cacheKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
