package filter

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Compiling a btProg (btmatch.go): the regexp/syntax tree of the
// pattern as Go compiles it, turned into a graph of continuation nodes,
// then annotated with first bytes.

// newBTProg compiles re for ASCII text, or returns nil when re is not a
// start-anchored pattern of the supported shape.
func newBTProg(re *regexp.Regexp) *btProg {
	if re == nil {
		return nil
	}
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil || !startAnchored(tree) {
		return nil
	}
	nslot := 2 * (tree.MaxCap() + 1)
	if nslot > btMaxSlots || re.NumSubexp() != tree.MaxCap() {
		return nil
	}
	c := &btCompiler{}
	start := c.compile(tree, &btNode{op: btMatch})
	if c.bad || c.nodes > btMaxNodes {
		return nil
	}
	c.setFollow(start, map[*btNode]bool{})
	for start.op == btBeginText {
		// a search starts at offset 0, where \A holds: one step less
		// (only the first node is sure to be met there alone; a later
		// \A may be reached at other offsets and stays)
		start = start.next
	}
	return &btProg{start: start, nslot: nslot}
}

// startAnchored reports whether every match of re begins with \A.
func startAnchored(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginText:
		return true
	case syntax.OpConcat:
		return len(re.Sub) > 0 && startAnchored(re.Sub[0])
	case syntax.OpCapture:
		return startAnchored(re.Sub[0])
	}
	return false
}

type btCompiler struct {
	nodes int
	bad   bool
}

func (c *btCompiler) node(n btNode) *btNode {
	c.nodes++
	return &n
}

// compile returns the graph for re followed by next.
func (c *btCompiler) compile(re *syntax.Regexp, next *btNode) *btNode {
	if c.bad || c.nodes > btMaxNodes {
		c.bad = true
		return next
	}
	switch re.Op {
	case syntax.OpEmptyMatch:
		return next
	case syntax.OpNoMatch:
		return c.node(btNode{op: btFail})
	case syntax.OpLiteral:
		return c.literal(re, next)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return c.run(re, 1, 1, true, next)
	case syntax.OpCapture:
		end := c.node(btNode{op: btSave, slot: 2*re.Cap + 1, next: next})
		return c.node(btNode{op: btSave, slot: 2 * re.Cap, next: c.compile(re.Sub[0], end)})
	case syntax.OpConcat:
		for i := len(re.Sub) - 1; i >= 0; i-- {
			next = c.compile(re.Sub[i], next)
		}
		return next
	case syntax.OpAlternate:
		if len(re.Sub) > 16 {
			c.bad = true // viable holds 16 branches
			return next
		}
		alts := make([]*btNode, len(re.Sub))
		for i, sub := range re.Sub {
			alts[i] = c.compile(sub, next)
		}
		return c.node(btNode{op: btAlt, alts: alts})
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return c.repeat(re, next)
	}
	if op, ok := btAssertions[re.Op]; ok {
		return c.node(btNode{op: op, next: next})
	}
	c.bad = true
	return next
}

var btAssertions = map[syntax.Op]btOp{
	syntax.OpBeginText: btBeginText, syntax.OpEndText: btEndText,
	syntax.OpBeginLine: btBeginLine, syntax.OpEndLine: btEndLine,
	syntax.OpWordBoundary: btWordB, syntax.OpNoWordBoundary: btNoWordB,
}

// literal compiles a literal string. On ASCII text a non-ASCII rune can
// only match through case folding to an ASCII letter (K, ſ): refused.
func (c *btCompiler) literal(re *syntax.Regexp, next *btNode) *btNode {
	lit := string(re.Rune)
	fold := re.Flags&syntax.FoldCase != 0
	if !isASCII(lit) {
		if fold {
			c.bad = true
			return next
		}
		return c.node(btNode{op: btFail})
	}
	if fold {
		lit = strings.ToLower(lit)
	}
	return c.node(btNode{op: btLit, lit: lit, fold: fold, next: next})
}

// repeat compiles the loops: a single-character body becomes one run,
// anything else is unrolled into quests and a loop node.
func (c *btCompiler) repeat(re *syntax.Regexp, next *btNode) *btNode {
	lo, hi := re.Min, re.Max
	switch re.Op {
	case syntax.OpStar:
		lo, hi = 0, -1
	case syntax.OpPlus:
		lo, hi = 1, -1
	case syntax.OpQuest:
		lo, hi = 0, 1
	}
	greedy := re.Flags&syntax.NonGreedy == 0
	body := re.Sub[0]
	if singleChar(body) {
		return c.run(body, lo, hi, greedy, next)
	}
	if hi == -1 && minLen(body) == 0 || hi > 1000 || lo > 1000 {
		c.bad = true
		return next
	}
	if hi == -1 {
		// one more iteration, or the exit (the other way round when
		// lazy): an alternation whose first branch leads back here
		loop := c.node(btNode{op: btLoop})
		more := c.compile(body, loop)
		loop.alts = []*btNode{more, next}
		if !greedy {
			loop.alts = []*btNode{next, more}
		}
		next = loop
	} else {
		for range hi - lo {
			skip := next
			take := c.compile(body, next)
			if greedy {
				next = c.node(btNode{op: btAlt, alts: []*btNode{take, skip}})
			} else {
				next = c.node(btNode{op: btAlt, alts: []*btNode{skip, take}})
			}
		}
	}
	for range lo {
		next = c.compile(body, next)
	}
	return next
}

// singleChar reports a body that matches exactly one character.
func singleChar(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return true
	case syntax.OpLiteral:
		return len(re.Rune) == 1
	}
	return false
}

// run compiles a repetition of the single-character re as one node.
func (c *btCompiler) run(re *syntax.Regexp, lo, hi int, greedy bool, next *btNode) *btNode {
	var set byteSet
	switch re.Op {
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] < utf8.RuneSelf {
				set.addRange(int(re.Rune[i]), int(min(re.Rune[i+1], utf8.RuneSelf-1)))
			}
		}
	case syntax.OpAnyChar:
		set.addRange(0, utf8.RuneSelf-1)
	case syntax.OpAnyCharNotNL:
		set.addRange(0, utf8.RuneSelf-1)
		set[0] &^= 1 << '\n'
	case syntax.OpLiteral:
		r := re.Rune[0]
		if r >= utf8.RuneSelf {
			if re.Flags&syntax.FoldCase != 0 {
				c.bad = true
			}
			// no ASCII byte: the empty set
		} else {
			set.add(byte(r))
			if re.Flags&syntax.FoldCase != 0 {
				set.add(byte(lowerASCII(byte(r))))
				set.add(byte(upperASCII(byte(r))))
			}
		}
	}
	return c.node(btNode{op: btRun, set: set, min: lo, max: hi, greedy: greedy, next: next})
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func upperASCII(b byte) byte {
	if 'a' <= b && b <= 'z' {
		return b - ('a' - 'A')
	}
	return b
}

// minLen is the length of the shortest text re matches (0 also where
// unsure: the caller refuses then).
func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture:
		return minLen(re.Sub[0])
	case syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n += minLen(sub)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, sub := range re.Sub {
			if l := minLen(sub); n < 0 || l < n {
				n = l
			}
		}
		return max(n, 0)
	}
	return 0
}

// btFirst is what a node's path can begin with: a byte of set, or the
// end of the text when end is set; any is true when that is unknown.
type btFirst struct {
	set      byteSet
	end, any bool
}

// setFollow gives every run the first bytes of what follows it, so a
// backed-off run tries only the lengths after which its continuation can
// start (a superset: the continuation still decides).
func (c *btCompiler) setFollow(start *btNode, seen map[*btNode]bool) {
	memo := map[*btNode]*btFirst{}
	var walk func(n *btNode)
	walk = func(n *btNode) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if n.op == btRun {
			if f := first(n.next, memo); !f.any {
				n.filter, n.follow, n.followEnd = true, f.set, f.end
				n.det = disjoint(&n.set, &f.set)
				n.followLit = leadingLit(n.next)
				n.followByte, n.oneFollow = f.set.single()
				n.oneFollow = n.oneFollow && !f.end
			}
			n.det = n.det || n.min == n.max
		}
		if n.alts != nil {
			firsts := make([]btFirst, len(n.alts))
			for k, a := range n.alts {
				firsts[k] = first(a, memo)
			}
			n.setViable(firsts)
		}
		for _, a := range n.alts {
			walk(a)
		}
		walk(n.next)
	}
	walk(start)
}

// leadingLit returns the literal every path from n starts with, when it
// is one case-sensitive literal of two bytes or more after captures
// ("" otherwise): a run followed by " from " then tries only the lengths
// " from " follows, not every one a space follows.
func leadingLit(n *btNode) string {
	for n.op == btSave {
		n = n.next
	}
	if n.op == btLit && !n.fold && len(n.lit) >= 2 {
		return n.lit
	}
	return ""
}

// first computes what n's path can begin with; a node met again while
// its own answer is pending (a loop) answers "unknown".
func first(n *btNode, memo map[*btNode]*btFirst) btFirst {
	if f, ok := memo[n]; ok {
		if f == nil {
			return btFirst{any: true}
		}
		return *f
	}
	memo[n] = nil
	var f btFirst
	switch n.op {
	case btLit:
		f.set.add(n.lit[0])
		if n.fold {
			f.set.add(upperASCII(n.lit[0]))
		}
	case btRun:
		f.set = n.set
		if n.min == 0 {
			f.merge(first(n.next, memo))
		}
	case btSave, btBeginText, btBeginLine, btWordB, btNoWordB:
		f = first(n.next, memo)
	case btEndText:
		f.end = true
	case btEndLine:
		f.set.add('\n')
		f.end = true
	case btAlt, btLoop:
		for _, a := range n.alts {
			f.merge(first(a, memo))
		}
	case btFail:
	default: // btMatch: anything may follow
		f.any = true
	}
	memo[n] = &f
	return f
}

func disjoint(a, b *byteSet) bool {
	return a[0]&b[0]|a[1]&b[1]|a[2]&b[2]|a[3]&b[3] == 0
}

func (f *btFirst) merge(o btFirst) {
	f.set.union(&o.set)
	f.end = f.end || o.end
	f.any = f.any || o.any
}

// setViable fills n.viable from what each branch can begin with.
func (n *btNode) setViable(firsts []btFirst) {
	n.viable = new([utf8.RuneSelf + 1]uint16)
	for k, f := range firsts {
		bit := uint16(1) << k
		for b := range utf8.RuneSelf {
			if f.any || f.set.has(byte(b)) {
				n.viable[b] |= bit
			}
		}
		if f.any || f.end {
			n.viable[btEnd] |= bit
		}
	}
}
