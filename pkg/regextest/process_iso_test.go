package regextest

import (
	"testing"
	"time"
)

// TestIsoClock: the cached journal line equals isoTime + " " + message,
// across seconds, microseconds (none, some), zones and a DST change.
func TestIsoClock(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	var c isoClock
	base := time.Date(2026, 3, 29, 0, 59, 58, 0, time.UTC) // 01:59:58 CET, DST starts at 01:00 UTC
	for i, d := range []time.Duration{0, 1, 999, time.Microsecond, 1500 * time.Millisecond, 2 * time.Second,
		2*time.Second + 123456*time.Microsecond, 3 * time.Second, 3 * time.Second} {
		ts := base.Add(d)
		for _, loc := range []*time.Location{berlin, time.UTC, berlin} {
			if got, want := c.line(ts, loc, "msg"), isoTime(ts, loc)+" msg"; got != want {
				t.Errorf("%d %v in %v: %q, want %q", i, ts, loc, got, want)
			}
		}
	}
}
