package filter

import (
	"regexp"
	"testing"
)

func TestSeqMatcherBuilt(t *testing.T) {
	tests := []struct {
		name string
		in   string // Python pattern
		want bool
	}{
		{name: "php-api placeholder", in: `^\s*(?P<h>[0-9a-f:.]+)\s+\S+\s+Incorrect token used\.`, want: true},
		{name: "bounded run", in: `^a{2,4}b`, want: true},
		{name: "run at end", in: `^x\S+`, want: true},
		{name: "dollar after run", in: `^\S+$`, want: true},
		{name: "overlapping runs", in: `^\S+\w`, want: false},
		{name: "run then same literal", in: `^a*ab`, want: false},
		{name: "dot star then text", in: `^.*x`, want: false},
		{name: "dollar after s star", in: `^a\s*$`, want: false},
		{name: "nullable chain overlap", in: `^\s*\d*\s`, want: false},
		{name: "lazy", in: `^a+?b`, want: false},
		{name: "alternation", in: `^(?:ab|c)d`, want: false},
		{name: "one-byte alternation is a class", in: `^(?:a|b)c`, want: true},
		{name: "unanchored", in: `a+b`, want: false},
		{name: "case folded", in: `^(?i:a)+b`, want: false},
		{name: "group repeat", in: `^(?:ab)+c`, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, _, err := translate(tt.in, targetASCII, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := newSeqMatcher(src) != nil; got != tt.want {
				t.Errorf("newSeqMatcher(%q) built %v, want %v", src, got, tt.want)
			}
		})
	}
}

// seqPatterns all get a seqMatcher.
var seqPatterns = []string{
	`^\s*(?P<h>[0-9a-f:.]+)\s+\S+\s+Incorrect token used\.`,
	`^a{2,4}b(?P<x>\d?)c`,
	`^x\S+`,
	`^(?P<u>\w+)=(?P<v>[^ ]*) \S+$`,
}

// FuzzSeqMatch: the walk finds exactly what Go's regexp finds.
func FuzzSeqMatch(f *testing.F) {
	type pair struct {
		seq *seqMatcher
		re  *regexp.Regexp
	}
	var ps []pair
	for _, p := range seqPatterns {
		src, _, err := translate(p, targetASCII, false)
		if err != nil {
			f.Fatal(err)
		}
		s := newSeqMatcher(src)
		if s == nil {
			f.Fatalf("no seqMatcher for %q", src)
		}
		ps = append(ps, pair{s, regexp.MustCompile(src)})
	}
	for i, s := range []string{" 1.2.3.4 - Incorrect token used.\n", "aaab7c", "aaaaab", "xyz \n", "k=v w\n", "k= w \n", "x\n"} {
		f.Add(uint8(i), s)
	}
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		if !isASCII(text) {
			return
		}
		p := ps[int(which)%len(ps)]
		loc := make([]int, 2*(p.seq.ncap+1))
		for i := range loc {
			loc[i] = -1
		}
		want := p.re.FindStringSubmatchIndex(text)
		if ok := p.seq.match(text, loc); ok != (want != nil) || ok && !equalInts(loc, want) {
			t.Fatalf("pattern %s text %q: walk %v %v, regexp %v", p.re, text, ok, loc, want)
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
