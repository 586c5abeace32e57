package client

import (
	"errors"
	"strings"
)

// Errors of SplitLine, with Python shlex's texts.
var (
	ErrNoClosingQuote = errors.New("No closing quotation")
	ErrNoEscapedChar  = errors.New("No escaped character")
)

// SplitLine splits an interactive-mode line into words as fail2ban-client
// does (Python's shlex.split, POSIX rules): whitespace separates words,
// '…' is literal, "…" allows \" and \\ escapes, a backslash outside quotes
// escapes any character, and "" makes an empty word.
func SplitLine(line string) ([]string, error) {
	var (
		words  []string
		word   strings.Builder
		inWord bool // a word (possibly empty, from quotes) is open
	)
	rs := []byte(line) // specials are ASCII, so bytes keep any UTF-8 (or not) intact
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case c == '\\':
			if i+1 >= len(rs) {
				return nil, ErrNoEscapedChar
			}
			i++
			word.WriteByte(rs[i])
			inWord = true
		case c == '\'' || c == '"':
			end, err := quoted(rs, i, &word)
			if err != nil {
				return nil, err
			}
			i, inWord = end, true
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}

// quoted copies the quoted section starting at rs[start] into word and
// returns the index of its closing quote.
func quoted(rs []byte, start int, word *strings.Builder) (int, error) {
	q := rs[start]
	for i := start + 1; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == q:
			return i, nil
		case c == '\\' && q == '"':
			if i+1 >= len(rs) {
				return 0, ErrNoEscapedChar
			}
			i++
			if rs[i] != '\\' && rs[i] != '"' {
				word.WriteByte('\\')
			}
			word.WriteByte(rs[i])
		default:
			word.WriteByte(c)
		}
	}
	return 0, ErrNoClosingQuote
}
