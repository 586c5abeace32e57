package filter

import (
	"regexp/syntax"
	"slices"
)

// requiredLiteral returns the longest case-sensitive string that every
// match of the Python pattern must contain, or "". It works on the relaxed
// translation (a superset of the pattern's language), so it is sound for
// patterns that need regexp2 too. A plain strings.Contains on it rejects
// most log lines long before any regex engine runs.
func requiredLiteral(expr string, multiline bool) string {
	lits := requiredLiterals(expr, multiline)
	if len(lits) == 0 {
		return ""
	}
	return lits[0]
}

// requiredLiterals lists up to maxLiterals distinct required strings,
// longest first (the most selective check runs first).
func requiredLiterals(expr string, multiline bool) []string {
	re := relaxedSyntax(expr, multiline)
	if re == nil {
		return nil
	}
	var out []string
	for _, s := range mustContain(re) {
		if len(s) >= 2 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	if len(out) > maxLiterals {
		out = out[:maxLiterals]
	}
	return out
}

func relaxedSyntax(expr string, multiline bool) *syntax.Regexp {
	src, _, err := translate(expr, targetRelaxed, multiline)
	if err != nil {
		return nil
	}
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	return re.Simplify()
}

// requiredPrefix returns the literal text every match starts with when the
// pattern is anchored at the start of the text (^ without MULTILINE), so
// a HasPrefix check can replace the search for most lines.
func requiredPrefix(expr string, multiline bool) string {
	re := relaxedSyntax(expr, multiline)
	if re == nil {
		return ""
	}
	return treePrefix(re)
}

// maxLiterals bounds the Contains checks per search.
const maxLiterals = 3

// mustContain lists strings each of which occurs in every match of re.
func mustContain(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture:
		return mustContain(re.Sub[0])
	case syntax.OpPlus:
		return mustContain(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return mustContain(re.Sub[0])
		}
	case syntax.OpConcat:
		return concatLiterals(re.Sub)
	}
	return nil
}

// concatLiterals joins adjacent literal pieces of a concatenation (a
// literal directly followed by a literal forms a longer one) and collects
// the requirements of the other parts.
func concatLiterals(subs []*syntax.Regexp) []string {
	var out []string
	run := ""
	flush := func() {
		if run != "" {
			out = append(out, run)
			run = ""
		}
	}
	for _, s := range subs {
		switch {
		case s.Op == syntax.OpLiteral && s.Flags&syntax.FoldCase == 0:
			run += string(s.Rune)
		case isEmptyWidth(s):
			// anchors do not consume text; a run continues across them
		default:
			flush()
			out = append(out, mustContain(s)...)
		}
	}
	flush()
	return out
}

func isEmptyWidth(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return true
	}
	return false
}
