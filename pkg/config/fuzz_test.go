package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

func FuzzInterpolate(f *testing.F) {
	for _, s := range []string{"%(a)s", "%(known/a)s x", "%%", "%(b)s%(c)s", "%(x", "%z", "%(sec/opt)s", "%(__name__)s", "%(default/a)s"} {
		f.Add(s, "%(b)s-1")
	}
	f.Fuzz(func(t *testing.T, value, other string) {
		st := newStore()
		st.defaults.set("a", other, posZero)
		sec := st.ensure("sec", posZero)
		sec.set("opt", value, posZero)
		sec.set("b", "%(a)s", posZero)
		known := st.ensure(knownPrefix+"sec", posZero)
		known.set("a", value, posZero)
		c := newODict()
		c.Set("c", value)
		_, _ = st.get("sec", "opt", newVars(c, nil))
		_, _ = st.getEx("sec", "known/opt", nil)
	})
}

func FuzzArgs(f *testing.F) {
	for _, s := range []string{`sshd[mode=aggressive, foo="a,b"]`, `x[a='q"q', b="it's", c= spaced value , d=]`,
		"x[a=1][b=2]", "x[a=1,,b=2]", "x[a=b]c]", "x[]", "sshd [mode=x]", "x[ a = 1 ]", "a\n  b[c=1]\n[d=2]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, _, err := Args(s)
		if err == nil && strings.Contains(name, "[") {
			t.Fatalf("name %q contains '['", name)
		}
		for _, e := range splitActions(s) {
			if e == "" {
				t.Fatal("empty action entry")
			}
		}
	})
}

func FuzzSubstituteTags(f *testing.F) {
	f.Add("<a>", "<b>x", "y")
	f.Add("<a-<b>>", "b", "<c>")
	f.Add("<self>", "<a>", "<b>")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		// Keep the references acyclic (a may use b and self, self may use
		// b, b nothing, even through tags formed across boundaries): a
		// cycle that duplicates tags grows the value exponentially up to
		// the replace limit, as in fail2ban, and one such input outlasts
		// a short fuzzing run (CI saw "context deadline exceeded").
		if strings.ContainsAny(b, "abs") || strings.ContainsAny(c, "as") {
			t.Skip()
		}
		checkSubstituteTags(t, a, b, c)
	})
}

// checkSubstituteTags compares substituteTags with the reference
// transcription on a dict of a, b and self (plus an unknown and an
// ignored tag, and addrepl answering for "add").
func checkSubstituteTags(t *testing.T, a, b, c string) {
	t.Helper()
	dict := func() *odict {
		d := newODict()
		d.Set("a", a)
		d.Set("b", b)
		d.Set("self", c)
		d.Set("none", nil)
		d.Set("ign", "IGN")
		return d
	}
	ignore := map[string]bool{"ign": true}
	addrepl := func(k string) (string, bool, error) {
		if k == "add" {
			return "<b>+", true, nil
		}
		return "", false, nil
	}
	got, gotErr := substituteTags(dict(), ignore, addrepl)
	want, wantErr := substituteTagsRef(dict(), ignore, addrepl)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("substituteTags(%q, %q, %q) error = %v, want %v", a, b, c, gotErr, wantErr)
	}
	if gotErr == nil && fmt.Sprint(got.vals) != fmt.Sprint(want.vals) {
		t.Fatalf("substituteTags(%q, %q, %q) = %q, want %q", a, b, c, got.vals, want.vals)
	}
}

// substituteTagsRef is the direct transcription of the specified
// algorithm (every key not done is rescanned on each pass), kept as the
// reference for substituteTags.
func substituteTagsRef(tags *odict, ignore map[string]bool, addrepl func(string) (string, bool, error)) (*odict, error) {
	done := map[string]bool{}
	counts := map[string]map[string]int{}
	for {
		again := false
		for i, tag := range tags.keys {
			if ignore[tag] || done[tag] {
				continue
			}
			orig := pyval.Str(tags.vals[i])
			value, rplc, err := substituteOneRef(tag, orig, tags, ignore, counts[tag], addrepl)
			if err != nil {
				return nil, err
			}
			if value != orig {
				if _, _, _, ok := findTag(value, 0); ok {
					again = true
					counts[tag] = rplc
				}
				tags.vals[i] = value
			}
			if !strings.Contains(value, "<") {
				done[tag] = true
			}
		}
		if !again {
			return tags, nil
		}
	}
}

func TestSubstituteTags_MatchesReference(t *testing.T) {
	for _, tt := range []struct{ a, b, c string }{
		{"<a-<b>>", "b", "<c>"}, {"<b> <zz> <ign>", "<add>", "<none>"}, {"<b<b>>", "<", "x<b>"},
		{"<lt_<b>> <self>", "file", "<b>-<b>"}, {"<x<y>", "", ">"}, {"<add><add>", "B", "<a"},
		{"<<b>> <zz>", "add", "<b"}, {"<self> <<b>>", "none", "<<b>>"},
	} {
		checkSubstituteTags(t, tt.a, tt.b, tt.c)
	}
}
