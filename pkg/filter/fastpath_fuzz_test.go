package filter

import (
	"reflect"
	"testing"
	"time"
)

// FuzzPrefilter: for any pattern and text, a text the prefilters (first
// byte, literal prefix, required literals) reject is one the engine does
// not match either.
func FuzzPrefilter(f *testing.F) {
	for _, tt := range regexCases {
		for _, text := range tt.texts {
			f.Add(tt.expr, text)
		}
	}
	for _, s := range []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`, `^[aA]uthentication failure for <HOST>`,
		`^(?i)kelvin`, `^[^\S\n]+y`, `^\x1c?x`, `^(?:a|\s)b`, `^(?P<x>\d*)z`, `^é`, `^\W`} {
		f.Add(s, " 192.0.2.1 - Incorrect token used.\n")
		f.Add(s, "\u212aelvin\n")
		f.Add(s, "\u00a0y\n")
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 200 || len(text) > 300 {
			return
		}
		r, err := CompileRegex(ExpandTags(expr, UseDNSWarn), RegexOptions{Timeout: time.Second})
		if err != nil || r.mayMatch(text) {
			return
		}
		if m, _ := r.engineSearch(text); m != nil {
			t.Fatalf("prefilter rejects %q, engine matches %q", text, expr)
		}
	})
}

// FuzzFastPath: any sequence of two lines gives the same results on the
// fast path (scratch buffers, reused matches) and the reference path,
// with a prefregex content cut, mlfid sessions and a 2-line buffer.
func FuzzFastPath(f *testing.F) {
	seeds := [][2]string{
		{"Nov 25 13:01:04 web1 sshd[2120]: Invalid user admin from 203.0.113.5 port 41234", "Nov 25 13:01:05 web1 sshd[2120]: Failed password for invalid user admin from 203.0.113.5 port 41234 ssh2"},
		{"Nov 25 13:01:05 web1 sshd[7]: Accepted publickey for bob from 2001:db8::1", "Nov 25 13:01:06 web1 sshd[7]: Invalid user x from 10.0.0.1"},
		{"2026-11-25T13:01:02 192.0.2.1 - Incorrect token used.", ""},
		// nofail matches that end a session, without and with one (a
		// pending one: the nofail falls; users: two of them)
		{"sshd[8]: Connection closed by 192.0.2.8 port 22", "sshd[8]: Invalid user x from 192.0.2.8"},
		{"sshd[9]: Invalid user x from 192.0.2.9", "sshd[9]: Connection closed by 192.0.2.9 port 22"},
		{"sshd[9]: Failed publickey for x from 192.0.2.9", "sshd[9]: Authenticated password for y from 192.0.2.9 port 22"},
		{"sshd[10]: Login attempt for bob", "sshd[10]: Connection closed by 192.0.2.10 port 22"},
		{"sshd[10]: Login attempt for bob", "sshd[10]: Authenticated password for eve from 192.0.2.10"},
		{"sshd[11]: Disconnected from 192.0.2.11", "sshd[11]: Login attempt for bob"},
		{"sshd[12]: Connection closed by  port 22", "sshd[12]: Authenticated password for x from 192.0.2.9 port 22"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], true)
		f.Add(s[0], s[1], false)
	}
	opts := func(maxLines int) Options {
		return Options{
			PrefRegex: `^(?:\S+ \S+ \S+ \S+ )?<F-MLFID>\S+\[\d+\]:</F-MLFID> <F-CONTENT>.+</F-CONTENT>$`,
			FailRegex: []string{
				`^Invalid user <F-USER>\S+</F-USER> from <HOST>`,
				`^Failed (?:<F-NOFAIL>publickey</F-NOFAIL>|\S+) for (?P<cond_inv>invalid user )?<F-USER>\S+</F-USER> from <HOST>(?(cond_inv) x|)`,
				`^Accepted \S+ for <F-USER>\S+</F-USER> from <HOST><F-MLFGAINED></F-MLFGAINED>`,
				`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`,
				`^<F-NOFAIL><F-MLFFORGET>Connection closed</F-MLFFORGET></F-NOFAIL> by (?:<HOST>)? port \d+`,
				`^<F-MLFFORGET>Disconnected</F-MLFFORGET> from <HOST>`,
				`^Login attempt for <F-USER>\S+</F-USER>`,
				`^<F-MLFFORGET><F-MLFGAINED>Authenticated \w+</F-MLFGAINED></F-MLFFORGET> for <F-USER>\S+</F-USER> from <HOST>`,
			},
			IgnoreRegex: []string{`from 10\.`},
			MaxLines:    maxLines,
			Now:         func() time.Time { return time.Date(2026, 11, 25, 13, 2, 0, 0, time.UTC) },
		}
	}
	f.Fuzz(func(t *testing.T, l1, l2 string, single bool) {
		n := 2
		if single {
			n = 1
		}
		fast, err1 := New(opts(n))
		ref, err2 := New(opts(n))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		ref.reference()
		for _, l := range []string{l1, l2, l1} {
			if got, want := fast.ProcessLine(l), ref.ProcessLine(l); !reflect.DeepEqual(got, want) {
				t.Fatalf("line %q: fast %+v, reference %+v", l, got, want)
			}
		}
	})
}

// FuzzReportMatch: failures built straight from the matches (reportMatch:
// no mlfid, no alt_ groups) equal those built from merge's map on the
// reference path, with prefregex groups that the failregex overlays or
// leaves, F-ID next to an address, subnets, nofail and raw ids.
func FuzzReportMatch(f *testing.F) {
	for _, s := range []string{
		"web1 [42] user bob from 192.0.2.1",
		"web1 id bob at 192.0.2.9",
		"[7] id 192.0.2.9 at 192.0.2.9",
		"- net 192.0.2.0/24 x",
		"- [9] net [2001:db8::/64]",
		"web1 probe 2001:db8::1",
		"- host h.example.org bad",
		"- [3] host 192.0.2.5 bad",
		"web1 [42] user  from 01.2.3.4",
		"2026-11-25T13:01:02 192.0.2.1 - Incorrect token used.",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	opts := func(raw bool) Options {
		o := Options{
			PrefRegex: `^(?:<F-SRV>\S+</F-SRV> )?(?:\[(?P<pid>\d+)\] )?<F-CONTENT>.+</F-CONTENT>$`,
			FailRegex: []string{
				`^user <F-USER>\S*</F-USER> from <HOST>`,
				`^id <F-ID>\S+</F-ID> at <ADDR>`,
				`^net <SUBNET>`,
				`^<F-NOFAIL>probe</F-NOFAIL> <ADDR>(?P<srv>)`,
				`^host <HOST> bad`,
				`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`,
			},
			Now: func() time.Time { return time.Date(2026, 11, 25, 13, 2, 0, 0, time.UTC) },
		}
		if raw {
			o.UseDNS = UseDNSRaw
		}
		return o
	}
	// built once: compiling per input would leave the fuzzer a few
	// inputs a minute; the filters see the same lines, so their state
	// (the last date) stays the same
	var pairs [2][2]*Filter
	for i, raw := range []bool{false, true} {
		for k := range pairs[i] {
			flt, err := New(opts(raw))
			if err != nil {
				f.Fatal(err)
			}
			pairs[i][k] = flt
		}
		pairs[i][1].reference()
	}
	f.Fuzz(func(t *testing.T, l string, raw bool) {
		fast, ref := pairs[0][0], pairs[0][1]
		if raw {
			fast, ref = pairs[1][0], pairs[1][1]
		}
		for range 2 {
			if got, want := fast.ProcessLine(l), ref.ProcessLine(l); !reflect.DeepEqual(got, want) {
				t.Fatalf("line %q: fast %+v, reference %+v", l, got, want)
			}
		}
	})
}
