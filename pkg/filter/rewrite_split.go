package filter

import (
	"regexp"
	"regexp/syntax"
)

// Distribution copies the rest of a sequence once per variant, and stock
// sshd's failregex copies <HOST> four times. Go's regexp only uses its
// fast backtracker for programs of at most 500 instructions; above that it
// runs the much slower NFA simulation. So a large start-anchored result is
// split into alternatives tried one after the other, each small: at the
// start of the text, the leftmost-first match of A1|A2|…|An is the match
// of the first Ai that matches.
//
// A choice is lifted to the top only when it is exact:
// X(A|B)Z ≡ XAZ|XBZ holds when X has at most one way to match (then every
// path through A comes before every path through B on both sides). X has
// one way when it is made of literals, assertions, single characters and
// runs c* / c+ / c{m,n} whose next byte can never be a c (a run cannot
// stop early). Only choices on the way to a distributed alternation are
// lifted; the rest stays inside the alternatives.

// backtrackMaxProg is Go's regexp limit for its backtracking matcher.
const backtrackMaxProg = 500

// splitMaxAlts bounds the alternatives of a split.
const splitMaxAlts = 16

// split returns the alternatives to compile: re itself unless it is a
// large start-anchored pattern that splits exactly.
func (rw *rewriter) split(re *syntax.Regexp) []*syntax.Regexp {
	if progLen(re) <= backtrackMaxProg || re.Op != syntax.OpConcat || re.Sub[0].Op != syntax.OpBeginText {
		return []*syntax.Regexp{re}
	}
	alts, ok := rw.lift(re)
	if !ok || len(alts) < 2 {
		return []*syntax.Regexp{re}
	}
	return alts
}

// progLen is the size of re's program; regexp.Compile first rejects
// programs above Go's size limit, which syntax.Compile would build.
func progLen(re *syntax.Regexp) int {
	if _, err := regexp.Compile(re.String()); err != nil {
		return 1 << 30
	}
	prog, err := syntax.Compile(cloneTree(re).Simplify())
	if err != nil {
		return 1 << 30
	}
	return len(prog.Inst)
}

// lift lists the alternatives of re, in priority order, lifting the
// choices that lead to a distributed alternation.
func (rw *rewriter) lift(re *syntax.Regexp) ([]*syntax.Regexp, bool) {
	switch {
	case !rw.hasDist(re):
		return []*syntax.Regexp{re}, true
	case re.Op == syntax.OpConcat:
		return rw.liftConcat(re.Sub)
	}
	branches, ok := choices(re)
	if !ok {
		return []*syntax.Regexp{re}, true
	}
	var out []*syntax.Regexp
	for _, b := range branches {
		alts, ok := rw.lift(b)
		if !ok {
			return nil, false
		}
		out = append(out, alts...)
		if len(out) > splitMaxAlts {
			return nil, false
		}
	}
	return out, true
}

// liftConcat lifts the first choice of a sequence that leads to a
// distributed alternation, if what precedes it has one way to match.
func (rw *rewriter) liftConcat(subs []*syntax.Regexp) ([]*syntax.Regexp, bool) {
	for i, e := range subs {
		branches, ok := choices(e)
		if !ok || !rw.hasDist(concatOf(subs[i:]...)) {
			continue
		}
		if !onePath(subs[:i], concatOf(subs[i:]...)) {
			return []*syntax.Regexp{concatOf(subs...)}, true
		}
		var out []*syntax.Regexp
		for _, b := range branches {
			seq := append(append(append([]*syntax.Regexp(nil), subs[:i]...), b), subs[i+1:]...)
			alts, ok := rw.lift(concatOf(seq...))
			if !ok {
				return nil, false
			}
			out = append(out, alts...)
			if len(out) > splitMaxAlts {
				return nil, false
			}
		}
		return out, true
	}
	return []*syntax.Regexp{concatOf(subs...)}, true
}

// choices splits a choice node into its branches in priority order: an
// alternation, an optional piece (greedy: present first), or a capture
// around either (the capture moves into each branch).
func choices(re *syntax.Regexp) ([]*syntax.Regexp, bool) {
	empty := &syntax.Regexp{Op: syntax.OpEmptyMatch}
	switch re.Op {
	case syntax.OpAlternate:
		return re.Sub, true
	case syntax.OpQuest:
		if re.Flags&syntax.NonGreedy != 0 {
			return []*syntax.Regexp{empty, re.Sub[0]}, true
		}
		return []*syntax.Regexp{re.Sub[0], empty}, true
	case syntax.OpCapture:
		inner, ok := choices(re.Sub[0])
		if !ok {
			return nil, false
		}
		out := make([]*syntax.Regexp, len(inner))
		for i, b := range inner {
			out[i] = withSubs(re, b)
		}
		return out, true
	}
	return nil, false
}

// hasDist reports a distributed alternation in re.
func (rw *rewriter) hasDist(re *syntax.Regexp) bool {
	if rw.dist[re] {
		return true
	}
	for _, s := range re.Sub {
		if rw.hasDist(s) {
			return true
		}
	}
	return false
}

// onePath reports whether the sequence subs, followed by next, has at
// most one way to match at a given start.
func onePath(subs []*syntax.Regexp, next *syntax.Regexp) bool {
	for i, s := range subs {
		if !onePathNode(s, concatOf(append(append([]*syntax.Regexp(nil), subs[i+1:]...), next)...)) {
			return false
		}
	}
	return true
}

func onePathNode(re, next *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral, syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL, syntax.OpEmptyMatch,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpCapture:
		return onePathNode(re.Sub[0], next)
	case syntax.OpConcat:
		return onePath(re.Sub, next)
	case syntax.OpRepeat:
		if re.Min == re.Max {
			// each copy is followed by another copy, the last by next
			sub := re.Sub[0]
			return onePathNode(sub, alternateOf([]*syntax.Regexp{concatOf(sub, next), next}))
		}
		fallthrough
	case syntax.OpStar, syntax.OpPlus:
		return runStopsAt(re.Sub[0], next)
	}
	return false
}

// runStopsAt reports whether a run of the one-character c is always
// followed by a byte c cannot match (so the run takes all it can).
func runStopsAt(c, next *syntax.Regexp) bool {
	switch c.Op {
	case syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
	case syntax.OpLiteral:
		if len(c.Rune) != 1 {
			return false
		}
	default:
		return false
	}
	var run, follow byteSet
	firstOf(c, &run)
	if firstOf(next, &follow) {
		return false
	}
	for k := range run {
		if run[k]&follow[k] != 0 {
			return false
		}
	}
	return true
}
