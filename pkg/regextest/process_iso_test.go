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

// TestProcLine: a journal entry's text is built on first use, once, as
// isoTime + " " + message; a log line's is the line itself.
func TestProcLine(t *testing.T) {
	tests := []struct {
		name string
		ts   time.Time
		msg  string
	}{
		{name: "whole second", ts: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), msg: "sshd[1]: hello"},
		{name: "microseconds", ts: time.Date(2026, 11, 25, 12, 0, 0, 123456000, time.UTC), msg: "x"},
		{name: "empty message", ts: time.Date(2026, 1, 1, 0, 0, 0, 1000, time.UTC), msg: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &tester{env: Env{Local: time.UTC}}
			l := tr.journalLine(tt.msg, tt.ts)
			if l.text != "" {
				t.Fatalf("text built before use: %q", l.text)
			}
			want := isoTime(tt.ts, time.UTC) + " " + tt.msg
			if got := l.String(); got != want {
				t.Errorf("String() = %q, want %q", got, want)
			}
			tr.iso.line(tt.ts.Add(time.Hour), time.UTC, "other") // the clock's buffer is reused
			if got := l.String(); got != want {
				t.Errorf("second String() = %q, want %q", got, want)
			}
		})
	}
	if got := (&procLine{text: "a log line"}).String(); got != "a log line" {
		t.Errorf("log line: %q", got)
	}
}
