package config

import (
	"strings"
	"testing"
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
		_, _ = st.get("sec", "opt", map[string]string{"c": value})
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
		d := newODict()
		d.Set("a", a)
		d.Set("b", b)
		d.Set("self", c)
		_, _ = substituteTags(d, nil, nil)
	})
}
