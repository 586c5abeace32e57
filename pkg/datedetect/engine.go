package datedetect

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// engine is a small backtracking matcher for the relaxed date regexes. It
// implements Perl's leftmost-first semantics exactly as Go's regexp does
// for the constructs it accepts (concatenation, alternation, captures,
// optional groups, bounded or unbounded repeats of one character class,
// text anchors) and is many times faster on these tiny patterns because it
// needs no instruction interpreter and no visited set. Anything else keeps
// using Go's regexp. A step budget guards against pathological patterns.
type engine struct {
	top   []*enode
	ncap  int  // number of capture groups (without group 0)
	first *cls // possible first characters, nil if unknown or empty-able
}

// maxEngineCaps bounds the captures the engine handles without allocating.
const maxEngineCaps = 15

// stepBudget is the most recursion steps one search may take before the
// engine gives up and Go's regexp runs instead.
const stepBudget = 20000

type enodeKind uint8

const (
	kLit enodeKind = iota
	kRep
	kAlt
	kQuest
	kCap
	kCapEnd
	kBegin
	kEnd
)

type enode struct {
	kind     enodeKind
	lit      []rune
	fold     bool
	c        *cls
	min, max int // kRep; max -1 = unbounded
	greedy   bool
	alts     [][]*enode // kAlt
	inner    []*enode   // kQuest, kCap
	capIdx   int
}

// cls is a character class with an ASCII bitmap fast path.
type cls struct {
	ascii  [2]uint64
	ranges []rune // pairs, for runes >= 0x80
}

func (c *cls) has(r rune) bool {
	if r < utf8.RuneSelf {
		return c.ascii[r>>6]&(1<<(uint(r)&63)) != 0
	}
	for i := 0; i+1 < len(c.ranges); i += 2 {
		if r < c.ranges[i] {
			return false
		}
		if r <= c.ranges[i+1] {
			return true
		}
	}
	return false
}

func newCls(ranges []rune) *cls {
	c := &cls{}
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
			c.ascii[r>>6] |= 1 << (uint(r) & 63)
		}
		if hi >= utf8.RuneSelf {
			c.ranges = append(c.ranges, max(lo, utf8.RuneSelf), hi)
		}
	}
	return c
}

// foldCls is the class of one rune and its case-folding orbit.
func foldCls(r rune, fold bool) *cls {
	rs := []rune{r, r}
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			rs = append(rs, f, f)
		}
	}
	sortRanges(rs)
	return newCls(rs)
}

func sortRanges(rs []rune) {
	for i := 2; i < len(rs); i += 2 {
		for j := i; j >= 2 && rs[j] < rs[j-2]; j -= 2 {
			rs[j], rs[j-2] = rs[j-2], rs[j]
			rs[j+1], rs[j-1] = rs[j-1], rs[j+1]
		}
	}
}

// compileEngine builds an engine for a Go regex, or nil if it uses
// constructs the engine does not handle.
func compileEngine(expr string) *engine {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	e := &engine{ncap: re.MaxCap()}
	if e.ncap > maxEngineCaps {
		return nil
	}
	top, ok := e.seq(re)
	if !ok {
		return nil
	}
	e.top = top
	e.first = firstCls(top)
	return e
}

func (e *engine) seq(re *syntax.Regexp) ([]*enode, bool) {
	if re.Op == syntax.OpConcat {
		var out []*enode
		for _, s := range re.Sub {
			part, ok := e.seq(s)
			if !ok {
				return nil, false
			}
			out = append(out, part...)
		}
		return out, true
	}
	n, ok := e.node(re)
	if !ok {
		return nil, false
	}
	if n == nil {
		return nil, true
	}
	return []*enode{n}, true
}

func (e *engine) node(re *syntax.Regexp) (*enode, bool) {
	fold := re.Flags&syntax.FoldCase != 0
	switch re.Op {
	case syntax.OpEmptyMatch:
		return nil, true
	case syntax.OpLiteral:
		return &enode{kind: kLit, lit: re.Rune, fold: fold}, true
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return &enode{kind: kRep, c: singleCls(re), min: 1, max: 1, greedy: true}, true
	case syntax.OpBeginText:
		return &enode{kind: kBegin}, true
	case syntax.OpEndText:
		return &enode{kind: kEnd}, true
	case syntax.OpCapture:
		inner, ok := e.seq(re.Sub[0])
		if !ok {
			return nil, false
		}
		inner = append(inner, &enode{kind: kCapEnd, capIdx: re.Cap})
		return &enode{kind: kCap, capIdx: re.Cap, inner: inner}, true
	case syntax.OpAlternate:
		n := &enode{kind: kAlt}
		for _, s := range re.Sub {
			alt, ok := e.seq(s)
			if !ok {
				return nil, false
			}
			n.alts = append(n.alts, alt)
		}
		return n, true
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return e.repeat(re)
	}
	return nil, false
}

func (e *engine) repeat(re *syntax.Regexp) (*enode, bool) {
	lo, hi := 0, -1
	switch re.Op {
	case syntax.OpPlus:
		lo = 1
	case syntax.OpQuest:
		hi = 1
	case syntax.OpRepeat:
		lo, hi = re.Min, re.Max
	}
	greedy := re.Flags&syntax.NonGreedy == 0
	if c := singleCls(re.Sub[0]); c != nil {
		return &enode{kind: kRep, c: c, min: lo, max: hi, greedy: greedy}, true
	}
	if re.Op == syntax.OpQuest {
		inner, ok := e.seq(re.Sub[0])
		if !ok {
			return nil, false
		}
		return &enode{kind: kQuest, inner: inner, greedy: greedy}, true
	}
	return nil, false
}

// singleCls returns the class of a one-character regex, else nil.
func singleCls(re *syntax.Regexp) *cls {
	switch re.Op {
	case syntax.OpCharClass:
		return newCls(re.Rune)
	case syntax.OpAnyChar:
		return newCls([]rune{0, unicode.MaxRune})
	case syntax.OpAnyCharNotNL:
		return newCls([]rune{0, '\n' - 1, '\n' + 1, unicode.MaxRune})
	case syntax.OpLiteral:
		if len(re.Rune) == 1 {
			return foldCls(re.Rune[0], re.Flags&syntax.FoldCase != 0)
		}
	}
	return nil
}

// firstCls returns the class every match must start with, or nil.
func firstCls(seq []*enode) *cls {
	for _, n := range seq {
		switch n.kind {
		case kBegin, kCapEnd:
			continue
		case kCap:
			return firstCls(n.inner)
		case kLit:
			return foldCls(n.lit[0], n.fold)
		case kRep:
			if n.min > 0 {
				return n.c
			}
		}
		return nil
	}
	return nil
}

// run is the state of one search.
type run struct {
	s      string
	caps   [2 * (maxEngineCaps + 1)]int
	steps  int
	end    int
	conts  [32]cont
	nconts int
}

// cont is the rest of the pattern to match after the current sequence;
// next indexes run.conts (-1: nothing more).
type cont struct {
	seq  []*enode
	next int
}

// push records a continuation; it reports false when the stack is full
// (the search then gives up like an exhausted budget).
func (r *run) push(seq []*enode, next int) (int, bool) {
	if r.nconts == len(r.conts) {
		r.steps = stepBudget + 1
		return 0, false
	}
	r.conts[r.nconts] = cont{seq: seq, next: next}
	r.nconts++
	return r.nconts - 1, true
}

// search finds the leftmost match in s starting at or after pos. ok is
// false with exhausted set when the step budget ran out.
func (e *engine) search(s string, pos int, loc []int) (ok, exhausted bool) {
	r := run{s: s}
	for p := pos; p <= len(s); {
		if e.first != nil {
			for p < len(s) && s[p] < utf8.RuneSelf && !e.first.has(rune(s[p])) {
				p++
			}
			if p == len(s) {
				return false, false
			}
		}
		for i := range 2 * (e.ncap + 1) {
			r.caps[i] = -1
		}
		if e.matchSeq(&r, e.top, p, -1) {
			r.caps[0], r.caps[1] = p, r.end
			copy(loc, r.caps[:2*(e.ncap+1)])
			return true, false
		}
		if r.steps > stepBudget {
			return false, true
		}
		if p >= len(s) {
			break
		}
		_, w := utf8.DecodeRuneInString(s[p:])
		p += w
	}
	return false, false
}

func (e *engine) matchSeq(r *run, seq []*enode, i int, k int) bool {
	if r.steps++; r.steps > stepBudget {
		return false
	}
	if len(seq) == 0 {
		if k < 0 {
			r.end = i
			return true
		}
		c := r.conts[k]
		return e.matchSeq(r, c.seq, i, c.next)
	}
	n, rest := seq[0], seq[1:]
	switch n.kind {
	case kLit:
		j, ok := matchLit(r.s, i, n.lit, n.fold)
		return ok && e.matchSeq(r, rest, j, k)
	case kRep:
		return e.matchRep(r, n, rest, i, k)
	case kAlt:
		for _, alt := range n.alts {
			if e.matchThen(r, alt, i, rest, k) {
				return true
			}
		}
		return false
	case kQuest:
		if !n.greedy && e.matchSeq(r, rest, i, k) {
			return true
		}
		if e.matchThen(r, n.inner, i, rest, k) {
			return true
		}
		return n.greedy && e.matchSeq(r, rest, i, k)
	case kCap:
		old := r.caps[2*n.capIdx]
		r.caps[2*n.capIdx] = i
		if e.matchThen(r, n.inner, i, rest, k) {
			return true
		}
		r.caps[2*n.capIdx] = old
		return false
	case kCapEnd:
		old := r.caps[2*n.capIdx+1]
		r.caps[2*n.capIdx+1] = i
		if e.matchSeq(r, rest, i, k) {
			return true
		}
		r.caps[2*n.capIdx+1] = old
		return false
	case kBegin:
		return i == 0 && e.matchSeq(r, rest, i, k)
	case kEnd:
		return i == len(r.s) && e.matchSeq(r, rest, i, k)
	}
	return false
}

// matchThen matches seq, then rest, then continuation k.
func (e *engine) matchThen(r *run, seq []*enode, i int, rest []*enode, k int) bool {
	idx, ok := r.push(rest, k)
	if !ok {
		return false
	}
	matched := e.matchSeq(r, seq, i, idx)
	r.nconts--
	return matched
}

// matchRep matches a repeated character class, greedy or lazy.
func (e *engine) matchRep(r *run, n *enode, rest []*enode, i int, k int) bool {
	var ends [17]int
	ends[0] = i
	cnt, j := 0, i
	limit := n.max
	if limit < 0 {
		limit = len(r.s) - i
	}
	for cnt < limit && j < len(r.s) {
		c, w := rune(r.s[j]), 1
		if c >= utf8.RuneSelf {
			c, w = utf8.DecodeRuneInString(r.s[j:])
		}
		if !n.c.has(c) {
			break
		}
		j += w
		cnt++
		if cnt < len(ends) {
			ends[cnt] = j
		}
		if !n.greedy && cnt >= n.min {
			break
		}
	}
	if cnt < n.min {
		return false
	}
	if !n.greedy {
		return e.matchLazy(r, n, rest, i, k)
	}
	for c := cnt; c >= n.min; c-- {
		pos := j
		if c < len(ends) {
			pos = ends[c]
		} else {
			pos = nthEnd(r.s, i, c)
		}
		if e.matchSeq(r, rest, pos, k) {
			return true
		}
	}
	return false
}

// matchLazy tries a lazy repeat from its minimum count upwards.
func (e *engine) matchLazy(r *run, n *enode, rest []*enode, i int, k int) bool {
	j := i
	for cnt := 0; ; cnt++ {
		if cnt >= n.min && e.matchSeq(r, rest, j, k) {
			return true
		}
		if (n.max >= 0 && cnt >= n.max) || j >= len(r.s) {
			return false
		}
		c, w := utf8.DecodeRuneInString(r.s[j:])
		if !n.c.has(c) {
			return false
		}
		j += w
	}
}

// nthEnd returns the byte offset after c runes from i.
func nthEnd(s string, i, c int) int {
	for ; c > 0; c-- {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return i
}

func matchLit(s string, i int, lit []rune, fold bool) (int, bool) {
	for _, want := range lit {
		if i >= len(s) {
			return 0, false
		}
		c, w := rune(s[i]), 1
		if c >= utf8.RuneSelf {
			c, w = utf8.DecodeRuneInString(s[i:])
		}
		if c != want && !(fold && foldEq(c, want)) {
			return 0, false
		}
		i += w
	}
	return i, true
}

func foldEq(a, b rune) bool {
	for f := unicode.SimpleFold(b); f != b; f = unicode.SimpleFold(f) {
		if f == a {
			return true
		}
	}
	return false
}
