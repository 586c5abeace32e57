package datedetect

import (
	"unicode"
	"unicode/utf8"
)

// isPySpace is Python's str.isspace for one rune.
func isPySpace(r rune) bool {
	switch {
	case r == ' ', r >= '\t' && r <= '\r', r >= 0x1c && r <= 0x1f, r == 0x85, r == 0xa0,
		r == 0x1680, r >= 0x2000 && r <= 0x200a, r == 0x2028, r == 0x2029,
		r == 0x202f, r == 0x205f, r == 0x3000:
		return true
	}
	return false
}

// asciiPySpace is isPySpace for an ASCII byte.
func asciiPySpace(c byte) bool {
	return c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1c && c <= 0x1f
}

// digitValue returns the value of a Unicode decimal digit (category Nd),
// which Python's int() accepts in any script.
func digitValue(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if r < utf8.RuneSelf || !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	// Nd code points come in contiguous runs of whole blocks of ten, each
	// block starting with its zero.
	zero := r
	for unicode.Is(unicode.Nd, zero-1) {
		zero--
	}
	return int(r-zero) % 10, true
}

// pyInt parses a decimal integer as Python's int(str) does for the texts a
// date regex captures: optional surrounding whitespace, optional sign,
// Unicode decimal digits.
func pyInt(s string) (int, bool) {
	if v, ok := asciiInt(s); ok {
		return v, true
	}
	i, j := 0, len(s)
	for i < j {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isPySpace(r) {
			break
		}
		i += n
	}
	for j > i {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if !isPySpace(r) {
			break
		}
		j -= n
	}
	s = s[i:j]
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	v := 0
	for _, r := range s {
		d, ok := digitValue(r)
		if !ok || v > 1e12 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}

// asciiInt parses 1..9 ASCII digits, the common case.
func asciiInt(s string) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}
