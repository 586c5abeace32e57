package filter

import (
	"testing"
	"time"
)

// TestProcessLineIntoAllocs: with a reused Result, a line that matches
// nothing and a failure outside an mlfid session allocate nothing once
// the filter is warm; a fresh Result costs one allocation per failure.
// (Race instrumentation allocates on its own: skipped there.)
func TestProcessLineIntoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	f, err := New(Options{
		FailRegex:   []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`, `^\s*<F-USER>\S+</F-USER> from <HOST> port \d+$`},
		DatePattern: `^{DATE}`,
		Now:         func() time.Time { return time.Date(2026, 11, 25, 13, 1, 5, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, line string
		failures   int
		fresh      float64 // allocations with ProcessLine
	}{
		{"php-api failure", "2026-11-25T13:01:02 192.0.2.1 - Incorrect token used. (more info here ...)", 1, 1},
		{"failure with a user", "2026-11-25T13:01:03 admin from 2001:db8::7 port 22", 1, 1},
		{"no failure", "2026-11-25T13:01:04 192.0.2.1 - Token accepted", 0, 0},
	}
	var res Result
	for _, tt := range tests {
		if f.ProcessLineInto(tt.line, &res); len(res.Failures) != tt.failures {
			t.Fatalf("%s: %d failures, want %d", tt.name, len(res.Failures), tt.failures)
		}
		if n := testing.AllocsPerRun(100, func() { f.ProcessLineInto(tt.line, &res) }); n != 0 {
			t.Errorf("%s: ProcessLineInto allocates %v times per line, want 0", tt.name, n)
		}
		if n := testing.AllocsPerRun(100, func() { f.ProcessLine(tt.line) }); n != tt.fresh {
			t.Errorf("%s: ProcessLine allocates %v times per line, want %v", tt.name, n, tt.fresh)
		}
	}
}
