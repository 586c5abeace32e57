package config

import (
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

func TestPformat(t *testing.T) {
	long := strings.Repeat("word ", 250) // 1250 chars
	tests := []struct {
		name string
		in   []any
		want string
	}{
		{name: "short stays one line", in: []any{"set", "j", "maxretry", int64(5)}, want: "['set', 'j', 'maxretry', 5]"},
		{name: "long list breaks", in: []any{"multi-set", "j", []any{strings.Repeat("a", 600), strings.Repeat("b", 600)}},
			want: "[ 'multi-set',\n  'j',\n  [ '" + strings.Repeat("a", 600) + "',\n    '" + strings.Repeat("b", 600) + "']]"},
		{name: "long string splits at spaces", in: []any{"set", long},
			want: "[ 'set',\n  '" + strings.Repeat("word ", 199) + "'\n  '" + strings.Repeat("word ", 51) + "']"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pformat(tt.in); got != tt.want {
				t.Errorf("pformat =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestAppendRepr(t *testing.T) {
	tests := []struct {
		name string
		in   any
	}{
		{name: "plain", in: "abc"},
		{name: "single quote", in: "it's"},
		{name: "both quotes", in: `it's "x"`},
		{name: "backslash", in: `a\b`},
		{name: "newline", in: "a\nb"},
		{name: "unicode", in: "é\u2028"},
		{name: "nested", in: []any{"set", int64(-3), true, false, nil, []any{"x", 1.5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := string(appendRepr(nil, tt.in)), pyval.Repr(tt.in); got != want {
				t.Errorf("appendRepr = %s, want %s", got, want)
			}
		})
	}
}
