package filter

import (
	"strings"
	"testing"
	"time"
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
		_ = err
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
