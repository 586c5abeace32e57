package filter

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// fusedShapes are filters the fused path takes (TestFusedShapes checks
// that it does): php-api's, several failregexes in order, custom groups
// beside the address, <HOST> (host names leave the fused path), a date
// in the middle of the line, a final $.
var fusedShapes = []Options{
	{FailRegex: []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`}, DatePattern: `^{DATE}`},
	{FailRegex: []string{
		`^Auth failed for <F-USER>\w+</F-USER> from <ADDR>$`,
		`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`,
		`^<HOST> \S+ (?P<verb>[A-Z]+) /login`,
	}},
	{FailRegex: []string{`^\s*\S+ <ADDR> bad token(?P<tail>\d*)`}},
	{FailRegex: []string{`^<HOST> \S+ (?P<verb>[A-Z]+) /login`}, UseDNS: UseDNSNo},
}

// fusedLines are the lines of fusedShapes' logs: failures with every
// kind of address, near-misses come from nearMisses.
var fusedLines = []string{
	"2026-11-25T13:01:02 192.0.2.1 - Incorrect token used. (more info here ...)",
	"2026-11-25T13:01:03 198.51.100.3 admin Incorrect token used.",
	"2026-11-25T13:01:04 2001:db8::7 - Incorrect token used.",
	"2026-11-25T13:01:05 [2001:db8::8] - Incorrect token used.",
	"2026-11-25T13:01:06 ::ffff:192.0.2.9 - Incorrect token used.",
	"2026-11-25T13:01:07 01.2.3.4 - Incorrect token used.",
	"2026-11-25T13:01:08 999.2.3.4 - Incorrect token used.",
	"2026-11-25T13:01:09 1.2.3 - Incorrect token used.",
	"2026-11-25T13:01:10 1.2.3.4.5 - Incorrect token used.",
	"2026-11-25T13:01:11 [192.0.2.10] - Incorrect token used.",
	"2026-11-25T13:01:12 192.0.2.11] - Incorrect token used.",
	"2026-11-25T13:01:13 :: - Incorrect token used.",
	"2026-11-25T13:01:14 192.0.2.12 - Incorrect token used.\u00e9",
	"2026-11-25T13:01:15 192.0.2.13 \u00e9 Incorrect token used.",
	"2026-11-25T13:01:16 \t 192.0.2.14 \x1c Incorrect token used.",
	"Nov 25 13:01:17 Auth failed for bob from 192.0.2.15",
	"Nov 25 13:01:18 Auth failed for bob from 192.0.2.15 ",
	"Nov 25 13:01:19 Auth failed for b\u00f6b from 192.0.2.15",
	"Nov 25 13:01:20 host.example.org - POST /login",
	"Nov 25 13:01:21 192.0.2.16 - POST /login",
	"Nov 25 13:01:22 2001:db8::1 - GET /login",
	"Auth failed for bob from 192.0.2.15",
	"Auth failed for bob from 192.0.2.15 ",
	"Auth failed for b\u00f6b from 192.0.2.15",
	"Auth failed for bob from 2001:db8::15",
	"host.example.org - POST /login",
	"192.0.2.16 - POST /login",
	"2001:db8::1 - GET /login",
	"[2001:db8::2] - GET /login",
	"[2026-11-25 13:01:23] 192.0.2.17 bad token42",
	"[2026-11-25 13:01:23] x 192.0.2.17 bad token42",
	"[2026-11-25 13:01:24] x 192.0.2.18 bad token",
	"x 192.0.2.19 bad token [2026-11-25 13:01:25]",
	"x 192.0.2.20 bad token 7",
	"no date 192.0.2.21 - Incorrect token used.",
	"",
}

func fusedOptions(o Options) Options {
	o.Now = func() time.Time { return time.Date(2026, 11, 25, 13, 2, 0, 0, time.UTC) }
	o.Local = time.UTC
	o.MatchTimeout = time.Minute
	return o
}

func TestFusedShapes(t *testing.T) {
	for i, o := range fusedShapes {
		f, err := New(fusedOptions(o))
		if err != nil {
			t.Fatal(err)
		}
		if !f.useFused() {
			t.Errorf("shape %d: the fused path does not apply", i)
		}
	}
	for _, o := range []Options{
		{FailRegex: []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`}, IgnoreRegex: []string{`x`}},
		{FailRegex: []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`}, MaxLines: 2},
		{FailRegex: []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`}, PrefRegex: `^<F-CONTENT>.+</F-CONTENT>$`},
		{FailRegex: []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`}, CheckAll: true},
		{FailRegex: []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`, `^.*<ADDR> x`}},
		{FailRegex: []string{`^<F-ID>\S+</F-ID> <ADDR> x`}},
		{FailRegex: []string{`^<F-NOFAIL>\S+</F-NOFAIL> <ADDR> x`}},
	} {
		f, err := New(fusedOptions(o))
		if err != nil {
			t.Fatal(err)
		}
		if f.useFused() {
			t.Errorf("%+v: the fused path applies", o)
		}
	}
}

// TestFusedEquivalent: on fused shapes, the fused path, the general path
// and the reference path give identical results for every line and
// near-miss, through ProcessLine and ProcessLineInto.
func TestFusedEquivalent(t *testing.T) {
	var lines []string
	for _, l := range fusedLines {
		lines = append(lines, nearMisses(l)...)
	}
	failures := 0
	for i, o := range fusedShapes {
		fused, err1 := New(fusedOptions(o))
		general, err2 := New(fusedOptions(o))
		ref, err3 := New(fusedOptions(o))
		into, err4 := New(fusedOptions(o))
		if err := errorsOf(err1, err2, err3, err4); err != nil {
			t.Fatal(err)
		}
		general.fused = -1
		ref.reference()
		var res Result
		for _, l := range lines {
			want := ref.ProcessLine(l)
			if got := fused.ProcessLine(l); !reflect.DeepEqual(got, want) {
				t.Errorf("shape %d, %q:\n  fused: %+v\n  ref:   %+v", i, l, got, want)
			}
			if got := general.ProcessLine(l); !reflect.DeepEqual(got, want) {
				t.Errorf("shape %d, %q:\n  general: %+v\n  ref:     %+v", i, l, got, want)
			}
			into.ProcessLineInto(l, &res)
			if !reflect.DeepEqual(res, want) {
				t.Errorf("shape %d, %q:\n  into: %+v\n  ref:  %+v", i, l, res, want)
			}
			failures += len(want.Failures)
		}
	}
	if failures < 50 {
		t.Fatalf("only %d failures: the fused path's reports were not exercised", failures)
	}
}

func errorsOf(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// FuzzFused: any line gives the same result on the fused path and on the
// reference path, for every fused shape.
func FuzzFused(f *testing.F) {
	for _, l := range fusedLines {
		f.Add(l)
	}
	var fused, ref []*Filter
	for _, o := range fusedShapes {
		a, err1 := New(fusedOptions(o))
		b, err2 := New(fusedOptions(o))
		if err := errorsOf(err1, err2); err != nil {
			f.Fatal(err)
		}
		fused, ref = append(fused, a), append(ref, b.reference())
	}
	f.Fuzz(func(t *testing.T, l string) {
		if len(l) > 300 || strings.Contains(l, "\n") && len(l) > 100 {
			return
		}
		for i := range fused {
			if got, want := fused[i].ProcessLine(l), ref[i].ProcessLine(l); !reflect.DeepEqual(got, want) {
				t.Fatalf("shape %d, %q:\n  fused: %+v\n  ref:   %+v", i, l, got, want)
			}
		}
	})
}

func TestQuad(t *testing.T) {
	for _, tt := range []struct {
		in        string
		b         [4]byte
		shape, ok bool
	}{
		{"192.0.2.1", [4]byte{192, 0, 2, 1}, true, true},
		{"0.0.0.0", [4]byte{}, true, true},
		{"255.255.255.255", [4]byte{255, 255, 255, 255}, true, true},
		{"256.1.1.1", [4]byte{}, true, false},
		{"1.1.1.256", [4]byte{}, true, false},
		{"01.1.1.1", [4]byte{}, true, false},
		{"1.1.1.00", [4]byte{}, true, false},
		{"1.1.1", [4]byte{}, false, false},
		{"1.1.1.1.", [4]byte{}, false, false},
		{"1.1.1.1.1", [4]byte{}, false, false},
		{"1111.1.1.1", [4]byte{}, false, false},
		{".1.1.1", [4]byte{}, false, false},
		{"1..1.1", [4]byte{}, false, false},
		{"1.1.1.a", [4]byte{}, false, false},
		{"", [4]byte{}, false, false},
	} {
		b, shape, ok := quad(tt.in)
		if shape != tt.shape || ok != tt.ok || ok && b != tt.b {
			t.Errorf("quad(%q) = %v, %v, %v; want %v, %v, %v", tt.in, b, shape, ok, tt.b, tt.shape, tt.ok)
		}
		if shape != isQuad(tt.in) {
			t.Errorf("quad(%q): shape %v, isQuad %v", tt.in, shape, !shape)
		}
	}
}
