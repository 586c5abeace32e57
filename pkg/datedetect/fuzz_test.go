package datedetect

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzPatterns seeds FuzzNew and gives FuzzFind detectors to run.
var fuzzPatterns = []string{
	"", "{^LN-BEG}", "^{DATE}", "{DEFAULT}", "{NONE}", "EPOCH", "LEPOCH", "TAI64N",
	"^[^\\[]*\\[({DATE})\n{^LN-BEG}", "%d/%b[^/]*/%Y:%H:%M:%S %z", "{UNB}%Y-%m-%d",
	"^%b %d, %ExY %I:%M:%S %p\n^WARNING:()**\n{^LN-BEG}", "^\\[?{EPOCH}", "%Y-%jT%H:%M",
	"^(?:=[^=]+={3,} )?(%ExY(?P<_sep>[-/.])%m(?P=_sep)%d[T ]%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?)\n^I\\(()**",
	"%Y-%m-%d %H:%M:%S %Exz", "x(%Y)y", "%Y**", "**%Y", "(?i)%Y$", "%c", "%x %X",
}

func FuzzNew(f *testing.F) {
	for _, p := range fuzzPatterns {
		f.Add(p, "2024-01-02 10:00:00 x")
	}
	f.Add("%Q", "")
	f.Add("(?P<Y>\\d{4})(?=x)", "2024x")
	f.Fuzz(func(t *testing.T, pattern, line string) {
		if len(pattern) > 200 || len(line) > 200 {
			return
		}
		d, err := New(Options{Pattern: pattern, Local: time.UTC, Now: func() time.Time { return testNow }})
		if err != nil {
			if !strings.Contains(err.Error(), "datepattern") && !strings.Contains(err.Error(), "compiling") {
				t.Errorf("error %q does not name the pattern", err)
			}
			return
		}
		checkFind(t, d, line)
	})
}

func FuzzFind(f *testing.F) {
	g := newLineGen(7)
	for range 40 {
		f.Add(g.line())
	}
	for _, tc := range []string{"Jan  2 10:00:00 x", "[[1700000000.123] x", "@4000000065535e3b0d8f3a44", "é2024-01-02 10:00:00", ""} {
		f.Add(tc)
	}
	var dets []*Detector
	for _, p := range fuzzPatterns {
		d, err := New(Options{Pattern: p, Local: time.UTC, Now: func() time.Time { return testNow }})
		if err != nil {
			f.Fatalf("New(%q): %v", p, err)
		}
		dets = append(dets, d)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if !utf8.ValidString(line) || strings.Contains(line, "\n") {
			return
		}
		for _, d := range dets {
			checkFind(t, d, line)
		}
	})
}

// FuzzEngines picks one template per input and compares the fast Go path
// with the exact regexp2 translation (regexp2 is slow, so one at a time).
func FuzzEngines(f *testing.F) {
	g := newLineGen(11)
	for i := range 40 {
		f.Add(uint16(i*7), g.line())
	}
	var all []*template
	for _, p := range fuzzPatterns {
		d, err := New(Options{Pattern: p, Local: time.UTC, Now: func() time.Time { return testNow }})
		if err != nil {
			f.Fatalf("New(%q): %v", p, err)
		}
		for _, tm := range d.all {
			if tm.m != nil && tm.m.fast != nil {
				all = append(all, tm)
			}
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, line string) {
		if !utf8.ValidString(line) || strings.Contains(line, "\n") || len(line) > 300 {
			return
		}
		checkEngines(t, all[int(which)%len(all)], line)
	})
}

// checkFind asserts the invariants of one Find result.
func checkFind(t *testing.T, d *Detector, line string) {
	t.Helper()
	m, ok := d.Find(line)
	if !ok {
		return
	}
	if m.Start < 0 || m.Start > m.End || m.End > len(line) {
		t.Fatalf("Find(%q) span [%d,%d) out of range", line, m.Start, m.End)
	}
	if m.Template < 0 || m.Template >= len(d.Templates()) {
		t.Fatalf("Find(%q) template %d out of range", line, m.Template)
	}
}

// checkEngines asserts that the relaxed Go regex plus checks gives exactly
// what the exact regexp2 translation gives, for every template.
func checkEngines(t *testing.T, tm *template, line string) {
	t.Helper()
	{
		for _, pos := range []int{0, len(line) / 2} {
			if pos > 0 && !utf8.RuneStart(line[pos]) {
				continue
			}
			var buf [32]int
			ext, n, fok := tm.m.match(line, pos, len(line), &buf)
			fast := ext
			if ext == nil {
				fast = buf[:n]
			}
			exact, eok := tm.m.matchExact(line, pos)
			if fok != eok || fmt.Sprint(fast) != fmt.Sprint(exact) {
				t.Fatalf("template %q on %q at %d: fast %v %v, exact %v %v", tm.name, line, pos, fok, fast, eok, exact)
			}
		}
	}
}
