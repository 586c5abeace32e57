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
			ext, n, fok, _ := tm.m.match(line, pos, len(line), &buf)
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

// FuzzConvCache runs two lines through a detector that keeps its minute
// cache and one whose cache is emptied before each line, for every fuzz
// pattern: the second line's time must not depend on the cache.
func FuzzConvCache(f *testing.F) {
	g := newLineGen(11)
	for range 20 {
		// the same line a few seconds on, where it has a time
		l := g.line()
		l2 := l
		if i := strings.LastIndex(l, ":"); i >= 0 && i+2 < len(l) && l[i+2] >= '0' && l[i+2] < '9' {
			l2 = l[:i+2] + string(l[i+2]+1) + l[i+3:]
		}
		f.Add(l, l2)
		f.Add(l, g.line())
	}
	f.Add("2026-11-25 13:01:02 a", "2026-11-25 13:01:03,5+01:00 a")
	f.Add("Nov 25 13:01:02 h", "Nov 25 13:01:59 h")
	f.Add("01:02:03 AM x", "01:02:04 PM x")
	f.Add("2024-060T10:00 x", "2024-061T10:00 x")
	f.Fuzz(func(t *testing.T, line1, line2 string) {
		if len(line1) > 200 || len(line2) > 200 || !utf8.ValidString(line1+line2) || strings.ContainsRune(line1+line2, '\n') {
			return
		}
		for _, p := range fuzzPatterns {
			opts := Options{Pattern: p, Local: time.UTC, Now: func() time.Time { return testNow }, YearClock: testNow}
			cached, err1 := New(opts)
			fresh, err2 := New(opts)
			if err1 != nil || err2 != nil {
				t.Fatalf("New(%q): %v %v", p, err1, err2)
			}
			for _, line := range []string{line1, line2} {
				fresh.conv, fresh.memo = convCache{}, secondsMemo{}
				got, gok := cached.Find(line)
				want, wok := fresh.Find(line)
				if gok != wok || !got.Time.Equal(want.Time) || got.Template != want.Template {
					t.Fatalf("pattern %q, line %q: cached %v %v, uncached %v %v", p, line, gok, got.Time, wok, want.Time)
				}
			}
		}
	})
}
