package datedetect

import (
	"strings"
	"unicode/utf8"
)

// The Epoch and TAI64N templates use look-behinds and conditionals, so they
// are matched by hand. Their fail2ban regexes are kept as template names
// and regex strings; the functions below reproduce what Python's engine
// does with them (including that both conditionals never reject: each
// alternative has an empty branch).

// digitsEnd returns the byte offset after exactly n Unicode digits starting
// at i in s, or -1.
func digitsEnd(s string, i, n int) int {
	for ; n > 0; n-- {
		if i >= len(s) {
			return -1
		}
		if c := s[i]; c >= '0' && c <= '9' {
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if _, ok := digitValue(r); !ok {
			return -1
		}
		i += w
	}
	return i
}

// digitRun counts the Unicode digits starting at i (up to max).
func digitRun(s string, i, max int) int {
	n := 0
	for n < max {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		} else if j := digitsEnd(s, i, 1); j >= 0 {
			i = j
		} else {
			break
		}
		n++
	}
	return n
}

// epochAt matches the epoch number at p and returns its end, or -1:
// short form \d{10,11}\b(?:\.\d{3,6})?, long form
// \d{10,11}(?:\d{3}(?:\.\d{1,6}|\d{3})?)?, both followed by the end bound.
func epochAt(s string, p int, long bool) int {
	if !long {
		n := digitRun(s, p, 12)
		if n != 10 && n != 11 {
			return -1
		}
		q := digitsEnd(s, p, n)
		if wordAt(s, q) {
			return -1
		}
		if q < len(s) && s[q] == '.' {
			if m := digitRun(s, q+1, 7); m >= 3 && m <= 6 {
				if e := digitsEnd(s, q+1, m); notInWord(s, e) {
					return e
				}
			}
		}
		return q
	}
	for _, k := range []int{11, 10} {
		base := digitsEnd(s, p, k)
		if base < 0 {
			continue
		}
		if q := longTail(s, base); q >= 0 {
			return q
		}
		if notInWord(s, base) {
			return base
		}
	}
	return -1
}

// longTail tries the (?:\d{3}(?:\.\d{1,6}|\d{3})?) part in backtracking
// order and returns the end of the first candidate passing the end bound.
func longTail(s string, base int) int {
	b3 := digitsEnd(s, base, 3)
	if b3 < 0 {
		return -1
	}
	if b3 < len(s) && s[b3] == '.' {
		for j := digitRun(s, b3+1, 6); j >= 1; j-- {
			if e := digitsEnd(s, b3+1, j); notInWord(s, e) {
				return e
			}
		}
	}
	if b6 := digitsEnd(s, b3, 3); b6 >= 0 && notInWord(s, b6) {
		return b6
	}
	if notInWord(s, b3) {
		return b3
	}
	return -1
}

// leadNonWord returns the byte offsets after 0, 1 and 2 leading non-word
// runes of s (as far as they exist): the choices of ^(?:\W{0,2})?.
func leadNonWord(s string) ([3]int, int) {
	var offs [3]int
	n, i := 1, 0
	for n < 3 && i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if isWord(r) {
			break
		}
		i += w
		offs[n] = i
		n++
	}
	return offs, n
}

// matchEpoch finds an epoch timestamp in s[pos:] (s already cut at endpos).
func matchEpoch(s string, pos int, lineBegin, long bool) ([4]int, bool) {
	if lineBegin {
		if pos > 0 {
			return [4]int{}, false
		}
		offs, n := leadNonWord(s)
		for k := n - 1; k >= 0; k-- {
			if q := epochAt(s, offs[k], long); q >= 0 {
				return [4]int{0, q, offs[k], q}, true
			}
		}
		return [4]int{}, false
	}
	try := func(p int) ([4]int, bool) {
		if q := epochAt(s, p, long); q >= 0 {
			return [4]int{p, q, p, q}, true
		}
		return [4]int{}, false
	}
	if pos == 0 {
		if r, ok := try(0); ok {
			return r, true
		}
	}
	if pos <= 1 && len(s) > 0 && s[0] == '[' {
		if r, ok := try(1); ok {
			return r, true
		}
	}
	for from := max(pos-6, 0); ; {
		i := strings.Index(s[from:], "audit(")
		if i < 0 {
			return [4]int{}, false
		}
		a := from + i
		from = a + 1
		if p := a + 6; p >= pos && p >= 2 && !wordBefore(s, a) {
			if r, ok := try(p); ok {
				return r, true
			}
		}
	}
}

// matchTAI64N finds @ + 24 lower-case hex digits in s[pos:].
func matchTAI64N(s string, pos int, lineBegin bool) ([4]int, bool) {
	at := func(p int) bool {
		if p+25 > len(s) || s[p] != '@' {
			return false
		}
		for i := p + 1; i < p+25; i++ {
			if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
		return notInWord(s, p+25)
	}
	if lineBegin {
		offs, n := leadNonWord(s)
		for k := n - 1; k >= 0 && pos == 0; k-- {
			if at(offs[k]) {
				return [4]int{0, offs[k] + 25, offs[k], offs[k] + 25}, true
			}
		}
		return [4]int{}, false
	}
	for p := pos; p < len(s); p++ {
		i := strings.IndexByte(s[p:], '@')
		if i < 0 {
			break
		}
		p += i
		if at(p) {
			return [4]int{p, p + 25, p, p + 25}, true
		}
	}
	return [4]int{}, false
}
