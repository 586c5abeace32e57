package datedetect

import (
	"regexp/syntax"
	"unicode"
)

// anchoredWidth returns the most bytes a match of the Go regex expr can
// span when expr is anchored at the start of the text, or -1 when it is
// not anchored or unbounded. Searching only that prefix of a line gives the
// same result (the relaxed regexes look at nothing beyond their match) and
// keeps the backtracker's visited-set small.
func anchoredWidth(expr string) int {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return -1
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) == 0 || re.Sub[0].Op != syntax.OpBeginText {
		return -1
	}
	return maxWidth(re)
}

// maxWidth is the longest match of re in bytes (runes counted as 4), or -1.
func maxWidth(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		return 4 * len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 4
	case syntax.OpCapture:
		return maxWidth(re.Sub[0])
	case syntax.OpQuest:
		return maxWidth(re.Sub[0])
	case syntax.OpRepeat:
		w := maxWidth(re.Sub[0])
		if re.Max < 0 || w < 0 {
			return -1
		}
		return w * re.Max
	case syntax.OpConcat:
		sum := 0
		for _, s := range re.Sub {
			w := maxWidth(s)
			if w < 0 {
				return -1
			}
			sum += w
		}
		return sum
	case syntax.OpAlternate:
		most := 0
		for _, s := range re.Sub {
			w := maxWidth(s)
			if w < 0 {
				return -1
			}
			most = max(most, w)
		}
		return most
	}
	return -1 // star, plus, unknown
}

// firstSet is the set of bytes a match can start with: ASCII bytes by
// value, and nonASCII for any rune >= 0x80.
type firstSet struct {
	ascii    [128]bool
	nonASCII bool
}

func (f *firstSet) has(c byte) bool {
	if c >= 0x80 {
		return f.nonASCII
	}
	return f.ascii[c]
}

// firstBytes computes the firstSet of the Go regex expr; ok is false when
// the regex may match the empty string or uses an unhandled construct.
func firstBytes(expr string) (f firstSet, ok bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return f, false
	}
	nullable, ok := addFirst(&f, re)
	return f, ok && !nullable
}

// addFirst adds the possible first characters of re to f and reports
// whether re can match without consuming anything.
func addFirst(f *firstSet, re *syntax.Regexp) (nullable, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true, true
	case syntax.OpLiteral:
		addRune(f, re.Rune[0], re.Flags&syntax.FoldCase != 0)
		return false, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if r >= 0x80 {
					f.nonASCII = true
					break
				}
				f.ascii[r] = true
			}
		}
		return false, true
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return false, false
	case syntax.OpCapture, syntax.OpPlus:
		return addFirst(f, re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		_, ok := addFirst(f, re.Sub[0])
		return true, ok
	case syntax.OpRepeat:
		n, ok := addFirst(f, re.Sub[0])
		return n || re.Min == 0, ok
	case syntax.OpConcat:
		for _, s := range re.Sub {
			n, ok := addFirst(f, s)
			if !ok {
				return false, false
			}
			if !n {
				return false, true
			}
		}
		return true, true
	case syntax.OpAlternate:
		any := false
		for _, s := range re.Sub {
			n, ok := addFirst(f, s)
			if !ok {
				return false, false
			}
			any = any || n
		}
		return any, true
	}
	return false, false
}

func addRune(f *firstSet, r rune, fold bool) {
	add := func(r rune) {
		if r >= 0x80 {
			f.nonASCII = true
		} else {
			f.ascii[r] = true
		}
	}
	add(r)
	if fold {
		for g := unicode.SimpleFold(r); g != r; g = unicode.SimpleFold(g) {
			add(g)
		}
	}
}
