package ini

import (
	"strings"
	"testing"
)

var trimCases = []string{"", " ", "a", "  a b \t", "\x1c a\x1f", "\u00a0a\u00a0", "\u0085 x \u2003", "é ", " é", "\u3000\u3000", "a\u00a0 ", "\xff ", " \xff", "\t\r\n\v\f"}

// checkTrim holds the ASCII fast paths to the rune-by-rune functions.
func checkTrim(t *testing.T, s string) {
	t.Helper()
	if got, want := trimLeft(s), strings.TrimLeftFunc(s, isSpace); got != want {
		t.Fatalf("trimLeft(%q) = %q, want %q", s, got, want)
	}
	if got, want := trimRight(s), strings.TrimRightFunc(s, isSpace); got != want {
		t.Fatalf("trimRight(%q) = %q, want %q", s, got, want)
	}
	if got, want := trim(s), strings.TrimFunc(s, isSpace); got != want {
		t.Fatalf("trim(%q) = %q, want %q", s, got, want)
	}
}

func TestTrim_MatchesTrimFunc(t *testing.T) {
	for _, s := range trimCases {
		checkTrim(t, s)
	}
	for c := 0; c < 256; c++ {
		checkTrim(t, string(rune(c))+"x"+string(rune(c)))
		checkTrim(t, string([]byte{byte(c)}))
	}
}

func FuzzTrim(f *testing.F) {
	for _, s := range trimCases {
		f.Add(s)
	}
	f.Fuzz(checkTrim)
}
