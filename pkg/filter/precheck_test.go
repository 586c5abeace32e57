package filter

import (
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
