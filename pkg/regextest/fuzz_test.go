package regextest

import (
	"strings"
	"testing"
)

// FuzzParseFilterSpec: any REGEX argument either parses into a name and
// string options or fails; a parsed name never contains the option list.
func FuzzParseFilterSpec(f *testing.F) {
	for _, s := range []string{"sshd", "sshd[mode=aggressive]", `x[a="1,2", b='3]']`, "x[a=1,a=2]", "sshd[mode=aggressive", "sshd[!!]", "a[]", "[k=v]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, d, err := parseFilterSpec(s)
		if err != nil {
			return
		}
		if strings.Contains(name, "[") {
			t.Fatalf("parseFilterSpec(%q) name %q keeps the option list", s, name)
		}
		for _, it := range d {
			if _, ok := it.Value.(string); !ok {
				t.Fatalf("parseFilterSpec(%q) value %v is not a string", s, it.Value)
			}
		}
		_ = pyRepr(d)
	})
}

// FuzzShellSplit: journal matches split without panicking, and words
// without quotes or backslashes are split on blanks only.
func FuzzShellSplit(f *testing.F) {
	for _, s := range []string{"_SYSTEMD_UNIT=sshd.service + _COMM=sshd", `a="b c" 'd e'f`, `a\ b "x\"y"`, `"abc`, "", "  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := shellSplit(s)
		if err != nil || strings.ContainsAny(s, "'\"\\") {
			return
		}
		want := strings.Fields(strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s))
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") && !strings.ContainsAny(s, "\v\f\u0085\u00a0\u1680\u2000\u2028\u2029\u202f\u205f\u3000") {
			t.Fatalf("shellSplit(%q) = %q, want %q", s, got, want)
		}
	})
}
