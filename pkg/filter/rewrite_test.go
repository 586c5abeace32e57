package filter

import (
	"reflect"
	"regexp/syntax"
	"testing"
	"time"
)

// sshdFailed is stock sshd's failregex for "Failed <method> for …", with
// both conditionals and both lookahead loops.
const sshdFailed = `^Failed (?:<F-NOFAIL>publickey</F-NOFAIL>|\S+) for (?P<cond_inv>invalid user )?<F-USER>(?P<cond_user>\S+)|(?(cond_inv)(?:(?! from ).)*?|[^:]+)</F-USER> from <HOST>(?: (?:port \d+|on \S+)){0,2}(?: ssh\d*)?(?(cond_user): |(?:(?:(?! from ).)*)$)`

// rewriteGroups runs the RE2 rewrite on text: the match's span and named
// groups, and whether the rewrite decided (false: regexp2 must).
func rewriteGroups(t *testing.T, r *Regex, text string) (map[string]any, bool) {
	t.Helper()
	m, done := r.rewriteSearch(text, nil)
	return matchGroups(m), done
}

// btGroups is the same from regexp2 on the original pattern.
func btGroups(t *testing.T, r *Regex, text string) map[string]any {
	t.Helper()
	m, err := r.btSearch(text, true)
	if err != nil {
		t.Fatalf("regexp2: %v", err)
	}
	return matchGroups(m)
}

func matchGroups(m *Match) map[string]any {
	if m == nil {
		return nil
	}
	g := map[string]any{"": [2]int{m.Start(), m.End()}}
	for _, n := range m.Names() {
		if v, ok := m.Group(n); ok {
			g[n] = v
		} else {
			g[n] = nil
		}
	}
	return g
}

// TestRewrite: the RE2 rewrite of patterns with conditionals and
// lookahead loops gives regexp2's result on the original pattern, and
// decides (without regexp2) where wantRE2 says.
func TestRewrite(t *testing.T) {
	tests := []struct {
		name  string
		expr  string
		texts []string
		// texts[i] for i in wantRE2 must be decided by RE2
		wantRE2 []int
	}{
		{
			name:    "optional group tested later",
			expr:    `^(?P<a>x)?y(?(a)z|w)$`,
			texts:   []string{"xyz\n", "yw\n", "xyw\n", "yz\n", "y\n"},
			wantRE2: []int{0, 1, 2, 3, 4},
		},
		{
			name:    "lazy optional",
			expr:    `^(?P<a>x)??(?P<b>x?)y(?(a)z|w)`,
			texts:   []string{"xyz\n", "xyw\n", "yw\n", "xxyz\n"},
			wantRE2: []int{0, 1, 2, 3},
		},
		{
			name:    "alternation defines the group",
			expr:    `^(?:(?P<a>\d+)|(?P<b>\w+)) (?(a)num|word) (?P<rest>.*)`,
			texts:   []string{"12 num x\n", "ab word y\n", "12 word z\n", "1a word q\n"},
			wantRE2: []int{0, 1, 2, 3},
		},
		{
			name:    "conditional without no-branch",
			expr:    `^(?P<q>")?(?P<v>[^" ]+)(?(q)")$`,
			texts:   []string{`"abc"` + "\n", "abc\n", `"abc` + "\n", `abc"` + "\n"},
			wantRE2: []int{0, 1, 2, 3},
		},
		{
			name:    "group defined inside the conditional's own group",
			expr:    `^(?P<a>x(?(a)y|z))`,
			texts:   []string{"xz\n", "xy\n"},
			wantRE2: []int{0, 1},
		},
		{
			name:    "lazy lookahead loop",
			expr:    `^user (?P<u>(?:(?! from ).)*?) from (?P<h>\S+)`,
			texts:   []string{"user bob from 1.2.3.4\n", "user a from b from c\n", "user  from x\n"},
			wantRE2: []int{0, 1, 2},
		},
		{
			name:    "greedy lookahead loop fails its check",
			expr:    `^user (?P<u>(?:(?! from ).)*) from (?P<h>\S+)`,
			texts:   []string{"user bob from 1.2.3.4\n", "user a from b from c\n"},
			wantRE2: []int{0},
		},
		{
			name: "positive lookahead loop",
			expr: `^(?P<a>(?:(?=ab).)+)`,
			// RE2's greedy path always fails the check here
			texts: []string{"abab\n", "aab\n", "x\n"},
		},
		{
			name: "stock sshd Failed",
			expr: ExpandTags(sshdFailed, UseDNSWarn),
			texts: []string{
				"Failed password for root from 203.0.113.9 port 51000 ssh2\n",
				"Failed password for invalid user admin from 203.0.113.9 port 51000 ssh2\n",
				"Failed publickey for root from 2001:db8::1 port 22 ssh2: RSA SHA256:abc\n",
				"Failed password for invalid user from bob from 198.51.100.7 port 1 ssh2\n",
				"Failed none for  from 192.0.2.9 port 4\n",
				"Failed password for root from host.example.com\n",
				"Failed password for root from 1.2.3.4x\n",
				"Failed password for user: x from 1.2.3.4\n",
				"Failed password for a b c from 10.0.0.1 port 2 ssh2 from x\n",
			},
			wantRE2: []int{0, 1, 2, 3, 4, 5, 6, 7, 8},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CompileRegex(tt.expr, RegexOptions{Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if r.rw == nil {
				t.Fatalf("no RE2 rewrite (%s)", r.EngineReason())
			}
			for i, text := range tt.texts {
				got, done := rewriteGroups(t, r, text)
				want := btGroups(t, r, text)
				if done && !reflect.DeepEqual(got, want) {
					t.Errorf("%q: rewrite %v, regexp2 %v", text, got, want)
				}
				if wantDone := contains(tt.wantRE2, i); done != wantDone {
					t.Errorf("%q: decided by RE2 = %v, want %v", text, done, wantDone)
				}
				// and through the public path
				m, err := r.Search(text)
				if err != nil || !reflect.DeepEqual(matchGroups(m), want) {
					t.Errorf("%q: Search = %v (%v), want %v", text, matchGroups(m), err, want)
				}
			}
		})
	}
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestRewriteRefused: patterns the rewrite cannot prove exact stay on
// regexp2 alone.
func TestRewriteRefused(t *testing.T) {
	for _, expr := range []string{
		`^(?P<a>x)*(?(a)y|z)`,       // tested group repeated
		`^(?:(?P<a>x)?(?(a)y|z))+`,  // conditional repeated
		`^(x)?(?(1)y|z)`,            // unnamed group
		`(?i)user (?:(?!from).)*`,   // case folding
		`^user (?!root)\S+`,         // lookahead outside a loop
		`^(?:a(?:(?!b).)*)+`,        // lookahead loop inside a loop
		`^(?:(?!a|b).)*`,            // lookahead body not a literal
		`^(?<=x)y(?:(?!z).)*`,       // lookbehind
		`^(?P<q>x)?(?P=q)(?(q)a|b)`, // back-reference
		`^(?:(?!x)(?:ab))*`,         // loop body wider than one character
	} {
		r, err := CompileRegex(expr, RegexOptions{})
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if r.rw != nil {
			t.Errorf("%s: rewritten, want regexp2 only", expr)
		}
		if r.Engine() != EngineRegexp2 {
			t.Errorf("%s: engine %v", expr, r.Engine())
		}
	}
}

// FuzzRewrite: whenever the RE2 rewrite decides, on any ASCII text, it
// agrees with regexp2 on the original pattern.
func FuzzRewrite(f *testing.F) {
	seeds := []string{sshdFailed, `^(?P<a>x)?y(?(a)z|w)$`, `^user (?P<u>(?:(?! from ).)*?) from (?P<h>\S+)`,
		`^(?:(?P<a>\d+)|(?P<b>\w+)) (?(a)num|word) (?P<rest>.*)`, `(?P<a>a)?b(?(a)c|(?:(?!cd).)*)d`}
	for _, s := range seeds {
		f.Add(s, "Failed password for invalid user a from 203.0.113.9 port 51000 ssh2\n")
		f.Add(s, "xyz\n")
		f.Add(s, "bccd d\n")
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 400 || len(text) > 200 || !isASCII(text) {
			return
		}
		r, err := CompileRegex(ExpandTags(expr, UseDNSWarn), RegexOptions{Timeout: time.Second})
		if err != nil || r.rw == nil {
			return
		}
		got, done := rewriteGroups(t, r, text)
		m, err := r.btSearch(text, true)
		if err != nil || !done {
			return
		}
		if want := matchGroups(m); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q on %q: rewrite %v, regexp2 %v", expr, text, got, want)
		}
	})
}

// TestOnePath: the split's one-way check (rewrite_split.go).
func TestOnePath(t *testing.T) {
	tests := []struct {
		seq, next string
		want      bool
	}{
		{`\AFailed \S+ for `, `x`, true},
		{`\S+`, ` `, true},
		{`\S+`, `a`, false},
		{`\S*`, `(?:)`, false},
		{`(?:a+){2}`, `b`, false},
		{`(?:ab){2}`, `c`, true},
		{`a?`, `b`, false},
		{`(?:a|b)`, `c`, true}, // parsed as the class [ab]
		{`(?:ab|a)`, `c`, false},
		{`(?P<x>[0-9]+)\.`, `x`, true},
	}
	for _, tt := range tests {
		seq, err := syntax.Parse(tt.seq, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		next, err := syntax.Parse(tt.next, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		subs := []*syntax.Regexp{seq}
		if seq.Op == syntax.OpConcat {
			subs = seq.Sub
		}
		if got := onePath(subs, next); got != tt.want {
			t.Errorf("onePath(%s, %s) = %v, want %v", tt.seq, tt.next, got, tt.want)
		}
	}
}
