package filter

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestFirstDispatch: a failregex left out of a text's mask is one whose
// prefilter rejects the text, and every failregex is offered the texts
// that can match it.
func TestFirstDispatch(t *testing.T) {
	exprs := []string{
		`^Failed \S+ for <HOST>`,
		`^[iI]nvalid user \S+ from <HOST>`,
		`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`,
		`from <HOST>$`, // not anchored: no first-byte set
		`^(?:error|fatal): <HOST>`,
		`^é <HOST>`,
	}
	var fail []*Regex
	for _, e := range exprs {
		r, err := CompileRegex(ExpandTags(e, "warn"), RegexOptions{})
		if err != nil {
			t.Fatal(err)
		}
		fail = append(fail, r)
	}
	d := newFirstDispatch(fail)
	if d == nil {
		t.Fatal("no dispatch table")
	}
	texts := []struct {
		text  string
		match int // failregex that matches text, -1: none
	}{
		{"Failed password for 192.0.2.1\n", 0},
		{"invalid user x from 192.0.2.1\n", 1},
		{"Invalid user x from 192.0.2.1\n", 1},
		{" 192.0.2.1 - Incorrect token used.\n", 2},
		{"192.0.2.1 - Incorrect token used.\n", 2},
		{"x from 192.0.2.1\n", 3},
		{"fatal: 192.0.2.1\n", 4},
		{"é 192.0.2.1\n", 5},
		{"\xff\n", -1},
		{"", -1},
		{"\n", -1},
	}
	for _, tt := range texts {
		mask := d.mask(tt.text)
		for i, r := range fail {
			in := mask&(1<<i) != 0
			if !in && r.mayMatch(tt.text) {
				t.Errorf("%q: failregex %d left out, but its prefilter passes", tt.text, i)
			}
			if m, _ := r.Search(tt.text); m != nil && !in {
				t.Errorf("%q: failregex %d matches but is left out", tt.text, i)
			}
		}
		if tt.match >= 0 && mask&(1<<tt.match) == 0 {
			t.Errorf("%q: mask %b lacks failregex %d", tt.text, mask, tt.match)
		}
	}
	if newFirstDispatch(fail[3:4]) != nil || newFirstDispatch(fail[:1]) != nil {
		t.Error("dispatch table for a single failregex")
	}
}

// TestFirstDispatchMany: beyond maxDispatch failregexes there is no
// table, and the later failregexes are still searched.
func TestFirstDispatchMany(t *testing.T) {
	var exprs []string
	for i := range maxDispatch + 6 {
		exprs = append(exprs, fmt.Sprintf(`^rule%d from <HOST>`, i))
	}
	f, err := New(Options{FailRegex: exprs, Now: func() time.Time { return time.Date(2026, 11, 25, 13, 2, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	if f.dispatch != nil {
		t.Error("dispatch table for more failregexes than a mask holds")
	}
	last := len(exprs) - 1
	res := f.ProcessLine(strings.Replace("ruleN from 192.0.2.1", "N", fmt.Sprint(last), 1))
	if len(res.Failures) != 1 || res.Failures[0].FailRegexIndex != last {
		t.Fatalf("got %+v, want a failure of failregex %d", res, last)
	}
}
