package datedetect

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// handTemplates returns the templates of detectors for {^LN-BEG} and
// ^{DATE} that use a hand-written matcher.
func handTemplates(t testing.TB) []*template {
	var out []*template
	for _, p := range []string{"{^LN-BEG}", "^{DATE}"} {
		d, err := New(Options{Pattern: p, Local: time.UTC, Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range d.all {
			if tm.m != nil && tm.m.hand != handNone {
				out = append(out, tm)
			}
		}
	}
	return out
}

func TestHandMatch_Enabled(t *testing.T) {
	var names []string
	for _, tm := range handTemplates(t) {
		names = append(names, tm.name)
	}
	if len(names) != 4 {
		t.Fatalf("hand matchers on %d templates, want 4: %q", len(names), names)
	}
}

// compareHand asserts that the hand matcher returns what Go's regexp
// returns for the relaxed regex.
func compareHand(t *testing.T, tm *template, line string) {
	t.Helper()
	m := tm.m
	var buf [32]int
	n, ok, _, _ := m.handMatch(line, &buf)
	loc := buf[:n]
	want := m.fast.FindStringSubmatchIndex(line)
	if ok != (want != nil) {
		t.Fatalf("%s on %q: hand ok=%v, regexp %v", tm.name, line, ok, want)
	}
	if !ok {
		return
	}
	got := fmt.Sprint(loc)
	exp := fmt.Sprint(m.toPy(want))
	if got != exp {
		t.Fatalf("%s on %q:\n hand   %s\n regexp %s", tm.name, line, got, exp)
	}
}

func TestHandMatch_Corpus(t *testing.T) {
	g := newLineGen(3)
	tms := handTemplates(t)
	extra := []string{"Jan  2 10:00:00 x", "Sun Jan 23 21:59:59.011 2005 q", "ſat ſep 3 1:2:3", "2024-01-02T10:00:00.123+02:00",
		"2024-01/02 10:00:00", "[[2024-1-2  3:04:05 Z", "2024-01-02 24:00:00", "Jan 31 9:05:61", "2024-01-02 10:00:00 +01:3"}
	n := 5000
	if raceEnabled || testing.Short() {
		n = 1000
	}
	for i := 0; i < n; i++ {
		line := g.line()
		if i < len(extra) {
			line = extra[i]
		}
		for _, tm := range tms {
			compareHand(t, tm, line)
		}
	}
}

func FuzzHandMatch(f *testing.F) {
	g := newLineGen(5)
	for range 30 {
		f.Add(g.line())
	}
	tms := handTemplates(f)
	f.Fuzz(func(t *testing.T, line string) {
		if !utf8.ValidString(line) || strings.Contains(line, "\n") {
			return
		}
		for _, tm := range tms {
			compareHand(t, tm, line)
		}
	})
}
