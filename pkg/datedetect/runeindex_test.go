package datedetect

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestRuneIndex checks the word-at-a-time ASCII test against counting
// runes, with the first non-ASCII byte in and around each word.
func TestRuneIndex(t *testing.T) {
	base := "2026-11-25T13:01:02,123 host x"
	lines := []string{"", "a", "2026-11-25", base}
	for i := 0; i <= len(base); i++ {
		lines = append(lines, base[:i]+"é"+base[i:], base[:i]+"٢"+base[i:]+"ü")
	}
	for _, line := range lines {
		for b := 0; b <= len(line); b++ {
			if b < len(line) && !utf8.RuneStart(line[b]) {
				continue
			}
			if got, want := runeIndex(line, b), utf8.RuneCountInString(line[:b]); got != want {
				t.Fatalf("runeIndex(%q, %d) = %d, want %d", line, b, got, want)
			}
		}
	}
}

// TestASCIIClasses checks the ASCII shortcuts against the general rules.
func TestASCIIClasses(t *testing.T) {
	for c := 0; c < utf8.RuneSelf; c++ {
		if got, want := asciiPySpace(byte(c)), isPySpace(rune(c)); got != want {
			t.Errorf("asciiPySpace(%#x) = %v, want %v", c, got, want)
		}
		want := c == '_' || unicode.IsLetter(rune(c)) || unicode.IsNumber(rune(c))
		if got := isWord(rune(c)); got != want {
			t.Errorf("isWord(%#x) = %v, want %v", c, got, want)
		}
	}
}

func TestIsASCII(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", true}, {"a", true}, {"2026-11-25T13:01:", true}, {"0123456789abcdef", true},
		{"é", false}, {"2026-11-25T13:01é", false}, {"0123456\x80", false}, {"01234567\xff", false},
		{"\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f", true},
	} {
		if got := isASCII(tc.s); got != tc.want {
			t.Errorf("isASCII(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
