package filter

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestPrecheckStats(t *testing.T) {
	tests := []struct {
		name string
		in   []bool // search outcomes, true = matched
		want bool   // use the precheck next
	}{
		{name: "fresh", in: nil, want: false},
		{name: "all misses", in: []bool{false, false, false, false}, want: true},
		{name: "all hits", in: []bool{true, true, true, true, true}, want: false},
		{name: "three misses per hit", in: []bool{true, false, false, false}, want: false},
		{name: "four misses per hit", in: []bool{true, false, false, false, false}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s precheckStats
			for _, m := range tt.in {
				s.note(m)
			}
			if got := s.use(); got != tt.want {
				t.Errorf("use() after %v = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestPrecheckDecay: old outcomes fade, so a regex that starts matching
// after a long run of misses leaves the precheck.
func TestPrecheckDecay(t *testing.T) {
	var s precheckStats
	for range 10 * precheckDecay {
		s.note(false)
	}
	if !s.use() {
		t.Fatal("precheck not used after only misses")
	}
	for range 2 * precheckDecay {
		s.note(true)
	}
	if s.use() {
		t.Errorf("precheck still used after %d hits (hits %d, misses %d)", 2*precheckDecay, s.hits, s.misses)
	}
	if s.hits+s.misses >= precheckDecay {
		t.Errorf("counts not decayed: %d+%d", s.hits, s.misses)
	}
}

// TestSkipLiterals: the literal prefilter is skipped only while nearly
// every line is a failure, and comes back after a few rejections or
// misses.
func TestSkipLiterals(t *testing.T) {
	var s precheckStats
	if s.skipLiterals() {
		t.Fatal("skipped with no history")
	}
	for range 100 {
		s.note(true)
	}
	if !s.skipLiterals() {
		t.Fatalf("not skipped after 100 hits (%+v)", s)
	}
	for range 7 {
		s.note(false) // a line the walk rejected while skipping
	}
	if s.skipLiterals() {
		t.Errorf("still skipped after 7 misses in 107 (%+v)", s)
	}
	var r precheckStats
	for range 100 {
		r.note(true)
	}
	for range 7 {
		r.reject()
	}
	if r.skipLiterals() {
		t.Errorf("still skipped after 7 rejections (%+v)", r)
	}
	for range 10 * precheckDecay {
		r.reject()
	}
	if r.rejects > precheckDecay {
		t.Errorf("rejects not bounded: %d", r.rejects)
	}
}

// TestSkipLiteralsSameResults: a php-api filter fed failures (the literal
// prefilter then skipped) and then other lines gives what the reference
// path gives on every line.
func TestSkipLiteralsSameResults(t *testing.T) {
	o := Options{FailRegex: []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`}, DatePattern: `^{DATE}`,
		Now: func() time.Time { return time.Date(2026, 11, 25, 13, 2, 0, 0, time.UTC) }}
	fast, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ref.slow = true
	fast.fused = -1 // the general path's prefilter is under test, not the fused path
	var lines []string
	for i := range 200 {
		lines = append(lines, fmt.Sprintf("2026-11-25T13:01:%02d 192.0.2.%d - Incorrect token used. (x)", i%60, i%250))
	}
	lines = append(lines, "2026-11-25T13:01:02 192.0.2.1 - Correct token used.",
		"2026-11-25T13:01:02 192.0.2.1 - Incorrect token",
		"2026-11-25T13:01:02 192.0.2.300 - Incorrect token used.",
		"2026-11-25T13:01:02 192.0.2.1 Incorrect token used.",
		"2026-11-25T13:01:03 2001:db8::1 x Incorrect token used.")
	skipped := false
	for _, l := range lines {
		skipped = skipped || fast.prechk != nil && fast.prechk[0].skipLiterals()
		if got, want := fast.ProcessLine(l), ref.ProcessLine(l); !reflect.DeepEqual(got.Failures, want.Failures) {
			t.Fatalf("%q: %+v, reference %+v", l, got.Failures, want.Failures)
		}
	}
	if !skipped {
		t.Fatal("the literal prefilter was never skipped: the test misses its point")
	}
}

// FuzzPrecheck: for any pattern and text, the capture-free precheck
// says "no match" only when the engine finds none.
func FuzzPrecheck(f *testing.F) {
	for _, tt := range regexCases {
		for _, text := range tt.texts {
			f.Add(tt.expr, text)
		}
	}
	for _, s := range []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`, `^Failed \S+ for (?P<cond_inv>invalid user )?<F-USER>\S+</F-USER> from <HOST>(?(cond_inv) x|)`,
		`from <HOST>$`, `^(?P<x>\d*)z`, `^é\b`} {
		f.Add(s, "Failed password for invalid user x from 192.0.2.1 x\n")
		f.Add(s, " 192.0.2.1 - Incorrect token used.\n")
		f.Add(s, "é from ::1\nz\n")
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 200 || len(text) > 300 {
			return
		}
		r, err := CompileRegex(ExpandTags(expr, UseDNSWarn), RegexOptions{Timeout: time.Second})
		if err != nil || r.quickMatch(text) {
			return
		}
		if m, _ := r.engineSearch(text); m != nil {
			t.Fatalf("precheck rejects %q, engine matches %q", text, expr)
		}
	})
}

// BenchmarkPrecheck compares a failing submatch search with the
// capture-free precheck on a text that passes the prefilters.
func BenchmarkPrecheck(b *testing.B) {
	r, err := CompileRegex(ExpandTags(`^[iI](?:llegal|nvalid) user <F-USER>.*?</F-USER> from <HOST>(?: (?:port \d+|on \S+|\[preauth\])){0,3}\s*$`, UseDNSWarn), RegexOptions{})
	if err != nil {
		b.Fatal(err)
	}
	text := "Invalid user admin from gateway.example port 41234 ssh2 [preauth] extra\n"
	if !r.mayMatch(text) {
		b.Fatal("prefilter rejects the text; nothing to measure")
	}
	b.Run("submatch", func(b *testing.B) {
		for b.Loop() {
			if m, _ := r.engineSearch(text); m != nil {
				b.Fatal("match")
			}
		}
	})
	b.Run("precheck", func(b *testing.B) {
		for b.Loop() {
			if r.quickMatch(text) {
				b.Fatal("match")
			}
		}
	})
}
