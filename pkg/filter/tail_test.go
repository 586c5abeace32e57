package filter

import (
	"reflect"
	"regexp"
	"regexp/syntax"
	"testing"
)

// uncutLoc is the match of expr's ASCII form as translated, without the
// tail cut.
func uncutLoc(t testing.TB, expr, text string) []int {
	src, _, err := translate(expr, targetASCII, false)
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(src).FindStringSubmatchIndex(text)
}

// TestCutTail: a final top-level (?P<c>.+)$ or .* is cut, and the
// search result is the uncut regex's.
func TestCutTail(t *testing.T) {
	tests := []struct {
		expr  string
		cut   bool
		texts []string
	}{
		{`^(?P<pre>\S+ )?(?:error: )?(?P<content>.+)$`, true,
			[]string{"host error: x y\n", "a\n", "\n", "", "host ", "x\ny\n", "héllo wörld\n", "\xff\xfe\n"}},
		{`^(?P<pre>\S+)(?P<content>.*)$`, true, []string{"abc def\n", "abc\n", "\n", "a\nb"}},
		{`^(?P<pre>\S+\s*)(?P<content>.*)$`, true, []string{"abc\n", "abc def\n", "abc", "abc \n"}},
		{`x(?P<content>.+)$`, true, []string{"axb\n", "ax\n", "x\nxb\n", "xx\n"}},
		{`^(?P<content>.+?)$`, false, []string{"ab\n"}},
		{`^(?P<content>.+)x$`, false, []string{"abx\n"}},
		{`^(?P<content>(?s:.+))$`, false, []string{"ab\n"}},
		{`^(?:(?P<content>.+)$)`, true, []string{"ab\n"}},
	}
	for _, tt := range tests {
		r, err := CompileRegex(tt.expr, RegexOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if (r.asciiTail > 0) != tt.cut || (r.uniTail > 0) != tt.cut {
			t.Errorf("%s: cut %d/%d, want %v", tt.expr, r.asciiTail, r.uniTail, tt.cut)
		}
		for _, text := range tt.texts {
			want := uncutLoc(t, tt.expr, text)
			for _, oneLine := range oneLineModes(text) {
				if got := cutLoc(r, text, oneLine); !reflect.DeepEqual(got, want) {
					t.Errorf("%s on %q (oneLine %v): %v, want %v", tt.expr, text, oneLine, got, want)
				}
				if u := r.goSearch(r.uni, r.uniIdx, r.uniTail, text, nil, oneLine); (u == nil) != (want == nil) || u != nil && !reflect.DeepEqual(u.loc, want) {
					t.Errorf("%s on %q (uni form, oneLine %v): %v, want %v", tt.expr, text, oneLine, u, want)
				}
			}
		}
	}
}

// FuzzCutTail: any head followed by the content tail gives the uncut
// regex's match.
func FuzzCutTail(f *testing.F) {
	f.Add(`^\S+ (?:error: )?`, "host error: x\n")
	f.Add(`a|b`, "xa\nb\n")
	f.Add(`(?P<x>\d*)`, "12\n")
	f.Fuzz(func(t *testing.T, head, text string) {
		if len(head) > 100 || len(text) > 200 {
			return
		}
		expr := head + `(?P<content>.+)$`
		r, err := CompileRegex(expr, RegexOptions{})
		if err != nil || r.ascii == nil || r.asciiTail == 0 {
			return
		}
		want := uncutLoc(t, expr, text)
		for _, oneLine := range oneLineModes(text) {
			if got := cutLoc(r, text, oneLine); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q on %q (oneLine %v): %v, want %v", expr, text, oneLine, got, want)
			}
		}
	})
}

// oneLineModes lists the extendTail modes that apply to text: the scan
// always, the shortcut too when text has no inner newline.
func oneLineModes(text string) []bool {
	if innerNewline(text) {
		return []bool{false}
	}
	return []bool{false, true}
}

// TestCutSource: the translator's forms of a prefregex are cut in the
// source text (not by printing the tree, which is slow on Unicode
// classes), to the same regex the tree gives.
func TestCutSource(t *testing.T) {
	expr := `^(?:\[\])?\s*(?:<[^.]+\.[^.]+>\s+)?(?:\S+\s+)?(?:sshd(?:\[\d+\])?:\s+)?(?P<content>.+)$`
	for _, target := range []target{targetASCII, targetUnicode} {
		src, _, err := translate(expr, target, false)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := syntax.Parse(src, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		n := len(tree.Sub)
		short := withSubs(tree.Sub[n-2], tree.Sub[n-2].Sub[0].Sub[0])
		want := concatOf(append(append([]*syntax.Regexp(nil), tree.Sub[:n-2]...), short)...)
		cut, ok := cutSource(src, "content", false, want)
		if !ok {
			t.Fatalf("target %v: %q not cut in the source", target, src)
		}
		if a, b := regexp.MustCompile(cut), regexp.MustCompile(want.String()); a.NumSubexp() != b.NumSubexp() {
			t.Errorf("target %v: cut %q and printed %q differ", target, cut, want)
		}
	}
	if _, ok := cutSource(`a|(?P<content>.+)(?m:$)`, "content", false, &syntax.Regexp{Op: syntax.OpEmptyMatch}); ok {
		t.Error("a source that does not parse to the wanted tree was cut")
	}
}

// cutLoc is the ASCII form's search with the content tail cut: the
// match's offsets, nil for no match.
func cutLoc(r *Regex, text string, oneLine bool) []int {
	if m := r.goSearch(r.ascii, r.asciiIdx, r.asciiTail, text, nil, oneLine); m != nil {
		return m.loc
	}
	return nil
}
