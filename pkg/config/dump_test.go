package config

import (
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

var reprCases = []any{
	"plain", "it's", `say "hi"`, `both ' and "`, "back\\slash", "multi\nline\tregex\r", "it's\n", "ünï", "\x00\x1f",
	"'\"\n", int64(-3), true, false, nil, []any{"set", "sshd", "addfailregex", "^a\n b$", int64(1)}, 1.5,
}

func TestAppendRepr_MatchesPyval(t *testing.T) {
	for _, v := range reprCases {
		t.Run(pyval.Repr(v), func(t *testing.T) {
			if got, want := string(appendRepr(nil, v)), pyval.Repr(v); got != want {
				t.Fatalf("appendRepr(%#v) = %s, want %s", v, got, want)
			}
		})
	}
}

func FuzzAppendRepr(f *testing.F) {
	for _, v := range reprCases {
		if s, ok := v.(string); ok {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendRepr(nil, s)), pyval.Repr(s); got != want {
			t.Fatalf("appendRepr(%q) = %s, want %s", s, got, want)
		}
	})
}
