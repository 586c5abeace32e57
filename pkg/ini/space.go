package ini

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isSpace is Python's str.isspace for one rune.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// asciiSpace marks the ASCII bytes isSpace accepts. Trimming runs on every
// line of every file, and decoding each byte as a rune for isSpace was
// most of the parser's time; bytes past ASCII still go through isSpace.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true,
	0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true}

// trim is strings.TrimFunc(s, isSpace).
func trim(s string) string { return trimRight(trimLeft(s)) }

// trimLeft is strings.TrimLeftFunc(s, isSpace).
func trimLeft(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && asciiSpace[s[i]] {
		i++
	}
	if i < len(s) && s[i] >= utf8.RuneSelf {
		return strings.TrimLeftFunc(s[i:], isSpace)
	}
	return s[i:]
}

// trimRight is strings.TrimRightFunc(s, isSpace).
func trimRight(s string) string {
	j := len(s)
	for j > 0 && s[j-1] < utf8.RuneSelf && asciiSpace[s[j-1]] {
		j--
	}
	if j > 0 && s[j-1] >= utf8.RuneSelf {
		return strings.TrimRightFunc(s[:j], isSpace)
	}
	return s[:j]
}
