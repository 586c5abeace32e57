package filter

import (
	"math/bits"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// byteSet is a set of byte values.
type byteSet [4]uint64

func (s *byteSet) add(b byte)      { s[b>>6] |= 1 << (b & 63) }
func (s *byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *byteSet) union(o *byteSet) {
	s[0], s[1], s[2], s[3] = s[0]|o[0], s[1]|o[1], s[2]|o[2], s[3]|o[3]
}
func (s *byteSet) addRange(lo, hi int) { addByteRange(s, lo, hi) }

// single returns the set's only member; ok is false unless it has
// exactly one.
func (s *byteSet) single() (b byte, ok bool) {
	n, w := 0, -1
	for k, x := range s {
		if x != 0 {
			n += bits.OnesCount64(x)
			w = k
		}
	}
	if n != 1 {
		return 0, false
	}
	return byte(64*w + bits.TrailingZeros64(s[w])), true
}

func addByteRange(s *byteSet, lo, hi int) {
	for b := lo; b <= hi && b < 256; b++ {
		s.add(byte(b))
	}
}

// addRune adds the first UTF-8 byte of r.
func (s *byteSet) addRune(r rune) {
	var buf [utf8.UTFMax]byte
	utf8.EncodeRune(buf[:], r)
	s.add(buf[0])
}

// firstBytes returns the ASCII bytes a match of a start-anchored (Python
// ^ without MULTILINE) pattern can begin with, or nil when the pattern is
// not anchored that way or can match the empty string. A text whose first
// byte is ASCII and not in the set cannot match, so the regex engine is
// skipped. It works on the ASCII translation, which agrees with Python on
// ASCII characters (the relaxed one does not: its \s is narrower); a
// pattern whose ASCII form does not parse (lookarounds, conditionals)
// gets no set. Bytes >= 0x80 are never rejected.
func firstBytes(expr string, multiline bool) *byteSet {
	src, _, err := translate(expr, targetASCII, multiline)
	if err != nil {
		return nil
	}
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText {
		return nil
	}
	var s byteSet
	if nullable := firstOf(&syntax.Regexp{Op: syntax.OpConcat, Sub: re.Sub[1:]}, &s); nullable {
		return nil
	}
	return &s
}

// firstOf adds to s the bytes a non-empty match of re can start with and
// reports whether re can match the empty string. Unknown operators give
// up: every byte, nullable.
func firstOf(re *syntax.Regexp, s *byteSet) (nullable bool) {
	switch re.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return true
		}
		addFolded(s, re.Rune[0], re.Flags&syntax.FoldCase != 0)
		return false
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			addClassRange(s, re.Rune[i], re.Rune[i+1])
		}
		return false
	case syntax.OpCapture:
		return firstOf(re.Sub[0], s)
	case syntax.OpStar, syntax.OpQuest:
		firstOf(re.Sub[0], s)
		return true
	case syntax.OpPlus:
		return firstOf(re.Sub[0], s)
	case syntax.OpRepeat:
		n := firstOf(re.Sub[0], s)
		return n || re.Min == 0
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !firstOf(sub, s) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		nullable := false
		for _, sub := range re.Sub {
			if firstOf(sub, s) {
				nullable = true
			}
		}
		return nullable
	}
	addByteRange(s, 0, 255) // OpAnyChar, OpAnyCharNotNL and anything new
	return true
}

// addFolded adds r's first byte and, under case folding, those of every
// rune in its fold orbit.
func addFolded(s *byteSet, r rune, fold bool) {
	if r >= utf8.RuneSelf {
		// an invalid byte decodes as U+FFFD: any non-ASCII lead may match
		s.addRange(0x80, 0xff)
	}
	s.addRune(r)
	if !fold {
		return
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		s.addRune(f)
	}
}

// addClassRange adds the first bytes of runes lo..hi: ASCII exactly, every
// lead byte of a multi-byte sequence as soon as the range leaves ASCII
// (also covering invalid UTF-8, which Go decodes as U+FFFD).
func addClassRange(s *byteSet, lo, hi rune) {
	if lo < utf8.RuneSelf {
		s.addRange(int(lo), int(min(hi, utf8.RuneSelf-1)))
	}
	if hi >= utf8.RuneSelf {
		s.addRange(0x80, 0xff)
	}
}
