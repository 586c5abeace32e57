package filter

import (
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2"
)

// FuzzTranslate: any pattern either fails to compile or searches without
// panicking, and RE2 and regexp2 forms agree on whether ASCII text matches.
func FuzzTranslate(f *testing.F) {
	for _, tt := range regexCases {
		f.Add(tt.expr, strings.Join(tt.texts, ""))
	}
	for _, s := range []string{`(?P<a>x)(?(a)y|z)`, `a{,3}b`, `[^\S\n]+$`, `(?i)\bfoo\B`, `\x41\u00e9\0`, `(?#c)(?=a)a`, `a(?P=x)`, `[]-]`, `(?P<n>\d+)\1`} {
		f.Add(s, "foo 123 aaa\n")
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 200 || len(text) > 500 {
			return
		}
		r, err := CompileRegex(expr, RegexOptions{Timeout: 50 * time.Millisecond})
		if err != nil {
			return
		}
		m, err := r.Search(text)
		if m != nil && (m.Start() < 0 || m.End() > len(text) || m.Start() > m.End()) {
			t.Fatalf("bad span [%d,%d] for %q on %q", m.Start(), m.End(), expr, text)
		}
		if m != nil {
			for _, n := range m.Names() {
				m.Group(n)
			}
		}
		if err == nil && r.ascii != nil && isASCII(text) && !innerNewline(text) {
			crossCheck(t, expr, text, m)
		}
	})
}

// FuzzProcessLine: arbitrary lines through a filter with prefregex,
// mlfid, ignoreregex and multi-line buffer never panic.
func FuzzProcessLine(f *testing.F) {
	seeds := []string{
		"Nov 25 13:01:04 web1 sshd[2120]: Invalid user admin from 203.0.113.5 port 41234",
		"Nov 25 13:01:05 web1 sshd[2125]: Failed password for root from 203.0.113.9 port 51000 ssh2",
		"2026-11-25T13:01:02 192.0.2.1 - Incorrect token used.",
		"sshd[1]: Accepted publickey for bob from 2001:db8::1",
		"", "\x00\xff", "[] []",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	now := func() time.Time { return time.Date(2026, 11, 25, 13, 2, 0, 0, time.UTC) }
	flt, err := New(Options{
		PrefRegex: `^(?:\S+ \S+ \S+ \S+ )?<F-MLFID>\S+\[\d+\]:</F-MLFID> <F-CONTENT>.+</F-CONTENT>$`,
		FailRegex: []string{
			`^Invalid user <F-USER>\S+</F-USER> from <HOST>`,
			`^Failed (?:<F-NOFAIL>publickey</F-NOFAIL>|\S+) for (?P<cond_inv>invalid user )?<F-USER>\S+</F-USER> from <HOST>(?(cond_inv) x|)`,
			`^Accepted \S+ for <F-USER>\S+</F-USER> from <HOST><F-MLFGAINED></F-MLFGAINED>`,
		},
		IgnoreRegex: []string{`from 10\.`},
		MaxLines:    2,
		Now:         now,
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r := flt.ProcessLine(line)
		for _, fl := range r.Failures {
			if fl.ID.String() == "" {
				t.Fatalf("failure without id for %q: %+v", line, fl)
			}
		}
	})
}

// crossCheck compares an RE2 result with the regexp2 translation of the
// same pattern: on ASCII text both must agree on the match span.
func crossCheck(t *testing.T, expr, text string, m *Match) {
	b, _, err := translate(expr, targetBT, false)
	if err != nil {
		t.Fatalf("RE2 form compiled but regexp2 translation failed: %v", err)
	}
	bt, err := regexp2.Compile(b, regexp2.None)
	if err != nil {
		return // e.g. constructs .NET rejects; RE2 answers alone
	}
	bt.MatchTimeout = 50 * time.Millisecond
	bm, err := bt.FindStringMatch(text)
	if err != nil {
		return
	}
	if (bm == nil) != (m == nil) || (m != nil && (bm.Index != m.Start() || bm.Index+bm.Length != m.End())) {
		t.Fatalf("%q on %q: RE2 %v, regexp2 %v", expr, text, m, bm)
	}
}
