package jail

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFailureLine(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 3, 7, 999, time.UTC)
	tests := []struct {
		name string
		jail string
		verb string
		ip   string // parsed with netip; "" for none
		id   string
		want string
	}{
		{name: "attempt ipv4", jail: "sshd", verb: "Attempt", ip: "192.0.2.7", want: "[sshd] Attempt 192.0.2.7 - 2026-11-25 09:03:07"},
		{name: "found ipv6", jail: "nginx-http-auth", verb: "Found", ip: "2001:db8::1", want: "[nginx-http-auth] Found 2001:db8::1 - 2026-11-25 09:03:07"},
		{name: "ipv4-mapped", jail: "sshd", verb: "Found", ip: "::ffff:192.0.2.8", want: "[sshd] Found 192.0.2.8 - 2026-11-25 09:03:07"},
		{name: "ipv6 with zone", jail: "sshd", verb: "Found", ip: "fe80::1%eth0", want: "[sshd] Found fe80::1 - 2026-11-25 09:03:07"},
		{name: "raw id", jail: "php", verb: "Attempt", id: "user@example.org", want: "[php] Attempt user@example.org - 2026-11-25 09:03:07"},
		{name: "subnet id", jail: "php", verb: "Attempt", id: "192.0.2.0/24", want: "[php] Attempt 192.0.2.0/24 - 2026-11-25 09:03:07"},
		{name: "empty id", jail: "j", verb: "Found", want: "[j] Found  - 2026-11-25 09:03:07"},
		{name: "longer than the stack buffer", jail: strings.Repeat("j", 100), verb: "Found", id: strings.Repeat("x", 100),
			want: "[" + strings.Repeat("j", 100) + "] Found " + strings.Repeat("x", 100) + " - 2026-11-25 09:03:07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ip netip.Addr
			if tt.ip != "" {
				ip = netip.MustParseAddr(tt.ip)
			}
			got := failureLine(tt.jail, tt.verb, ip, tt.id, at)
			if got != tt.want {
				t.Errorf("failureLine = %q, want %q", got, tt.want)
			}
			// Same text as the format string it replaced.
			if old := fmt.Sprintf("[%s] %s %s - %s", tt.jail, tt.verb, idString(ip, tt.id), at.Format(timeLayout)); got != old {
				t.Errorf("failureLine = %q, Sprintf gives %q", got, old)
			}
		})
	}
}

func TestFailureLine_OneAllocation(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 3, 7, 0, time.UTC)
	ip := netip.MustParseAddr("2001:db8::1")
	if n := testing.AllocsPerRun(100, func() { _ = failureLine("sshd", "Attempt", ip, "", at) }); n != 1 {
		t.Errorf("failureLine allocates %v times, want 1 (the string)", n)
	}
}

func BenchmarkFailureLine(b *testing.B) {
	at := time.Date(2026, 11, 25, 9, 3, 7, 0, time.UTC)
	ip := netip.MustParseAddr("192.0.2.7")
	b.ReportAllocs()
	for b.Loop() {
		_ = failureLine("sshd", "Attempt", ip, "", at)
	}
}

// timeLog records the times of the records one logger received.
type timeLog struct {
	mu    sync.Mutex
	times []time.Time
}

func (l *timeLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *timeLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *timeLog) WithGroup(string) slog.Handler            { return l }
func (l *timeLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.times = append(l.times, r.Time)
	return nil
}

// TestAttempt_LogTime: with the real clock an attempt's log line carries
// its failure time (one clock read for both); with a fake clock (tests)
// the log line still has the real time, and so does a failure found in a
// log, whose time is the log line's.
func TestAttempt_LogTime(t *testing.T) {
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	tests := []struct {
		name  string
		now   func() time.Time
		found bool // AddFailure of a line at old instead of Attempt
		same  bool // the record's time is the failure's
	}{
		{name: "attempt, real clock", same: true},
		{name: "attempt, fake clock", now: func() time.Time { return old }},
		{name: "found, real clock", found: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &timeLog{}
			j := newTestJail(t, Options{Now: tt.now, FilterLogger: slog.New(l)})
			j.SetIgnoreSelf(false)
			j.SetMaxRetry(1) // the failure's time comes back in its ban ticket
			before := time.Now()
			if tt.found {
				j.AddFailure(t.Context(), fail("192.0.2.1", old))
			} else if j.Attempt(t.Context(), "192.0.2.1") != 1 {
				t.Fatal("attempt ignored")
			}
			after := time.Now()
			if len(l.times) != 1 {
				t.Fatalf("%d records, want 1", len(l.times))
			}
			if got := l.times[0]; got.Before(before) || got.After(after) {
				t.Errorf("record time %v, want between %v and %v", got, before, after)
			}
			q := j.dequeue()
			if len(q) != 1 {
				t.Fatalf("%d bans queued, want 1", len(q))
			}
			if same := l.times[0].Equal(q[0].Time); same != tt.same {
				t.Errorf("record time %v, failure time %v: same = %v, want %v", l.times[0], q[0].Time, same, tt.same)
			}
		})
	}
}
