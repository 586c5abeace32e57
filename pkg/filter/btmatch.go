package filter

import (
	"math/bits"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Go's regexp spends about a microsecond on a start-anchored search of a
// short line even when the match is found on the first path tried: it
// decodes every byte as a rune, interprets one instruction per byte
// (pushing a backtrack entry for each greedy step) and clears a
// visited-state bitmap per search. fail2ban's prefix line is such a
// pattern, a chain of optional greedy groups in which the first path
// tried nearly always succeeds, and it runs on every line.
//
// The btProg is the same regex as a graph of nodes walked depth-first
// over ASCII bytes: a run of one character class is scanned in one loop
// and backed off one byte at a time, and a backtrack point is a Go call.
// Depth-first search in priority order (left alternative first, greedy
// loops trying one more iteration first) finds exactly the match Go's
// regexp reports: its documentation defines the leftmost-first match as
// the one a backtracking search finds first, and a start-anchored pattern
// has only one start to try. Captures are set on the way down and
// restored when a path fails, so the first successful path leaves its
// own. Without a visited-state memo a search can take exponential time,
// so it counts its steps and gives up past a budget linear in the text;
// the caller then asks Go's regexp (same result, just slower).
//
// Only what can be proved equal is built: start-anchored patterns, loops
// whose body cannot match the empty string (Go prunes empty iterations
// in its own way), literals that fold only to ASCII. Everything else gets
// no program and runs on Go's regexp as before.

type btOp uint8

const (
	btLit btOp = iota + 1
	btRun
	btSave
	btAlt
	btLoop
	btBeginText
	btEndText
	btBeginLine
	btEndLine
	btWordB
	btNoWordB
	btFail
	btMatch
)

// btNode is one step; next is what follows it (the continuation).
type btNode struct {
	op     btOp
	greedy bool
	fold   bool // btLit: ASCII case-insensitive
	// filter: a btRun tries a length only where the byte after it is in
	// follow (or the text ends there and followEnd is set)
	filter, followEnd bool
	// det: a btRun has one length to try, the longest (fixed length,
	// or no byte of it can begin what follows)
	det      bool
	lit      string
	set      byteSet
	follow   byteSet
	min, max int // btRun length bounds; max -1: unbounded
	slot     int // btSave: index into the capture array
	alts     []*btNode
	// viable[b]: the alts (bit k: alts[k]) that can begin with byte b,
	// or at the end of the text (b = btEnd)
	viable *[utf8.RuneSelf + 1]uint16
	next   *btNode
}

// btProg is a compiled start-anchored pattern; immutable, safe for
// concurrent use.
type btProg struct {
	start *btNode
	nslot int // 2 * (number of groups + 1)
}

const (
	// btMaxSlots bounds the capture array (kept on the stack).
	btMaxSlots = 32
	// btMaxTrail bounds the trail: a search that sets more captures
	// on one path than half of it gives up.
	btMaxTrail = 48
	// btMaxNodes bounds the graph a pattern (with its repetitions
	// unrolled) may become.
	btMaxNodes = 2000
)

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

// btMachine is the state of one search. A capture slot holds its offset
// plus one, so the zeroed array starts out all unset (-1 in the result)
// without a fill. A capture set on a path that
// later fails is undone through the trail (slot, old value pairs), back
// to the mark the choice point took before trying that path.
type btMachine struct {
	text   string
	cap    []int
	trail  []int // fixed capacity: a search that would outgrow it gives up
	noCap  bool  // MatchString: captures are not kept
	depth  int   // tries under way
	steps  int
	budget int
	abort  bool
	end    int
}

// btBudget bounds the paths one search tries (each a walk of at most
// the graph, and the text, once): generous for the patterns this is built
// for (a few per byte), small enough that a pathological pattern costs
// little before Go's regexp takes over.
func btBudget(text string) int { return 256 + 16*len(text) }

// find is FindStringSubmatchIndex for ASCII text; ok false means the
// search gave up and Go's regexp must answer. The result lives in buf
// when it is large enough.
func (p *btProg) find(text string, buf []int) (loc []int, ok bool) {
	var slots [btMaxSlots]int
	var trail [btMaxTrail]int
	m := btMachine{text: text, cap: slots[:p.nslot], trail: trail[:0], budget: btBudget(text)}
	matched := m.run(p.start, 0)
	if m.abort {
		return nil, false
	}
	if !matched {
		return nil, true
	}
	m.cap[0], m.cap[1] = 1, m.end+1
	if cap(buf) >= p.nslot {
		loc = buf[:p.nslot]
	} else {
		loc = make([]int, p.nslot)
	}
	for k, v := range m.cap {
		loc[k] = v - 1
	}
	return loc, true
}

// matchString is MatchString for ASCII text; ok false as for find.
func (p *btProg) matchString(text string) (matched, ok bool) {
	m := btMachine{text: text, noCap: true, budget: btBudget(text)}
	matched = m.run(p.start, 0)
	return matched, !m.abort
}

// save sets a capture slot, remembering the old value on the trail; a
// full trail gives the search up.
func (m *btMachine) save(slot, i int) bool {
	if m.depth == 0 {
		// outside every try: a failure here fails the whole search,
		// so there is nothing to undo to
		m.cap[slot] = i + 1
		return true
	}
	t := len(m.trail)
	if t+2 > cap(m.trail) {
		m.abort = true
		return false
	}
	m.trail = m.trail[:t+2]
	m.trail[t], m.trail[t+1] = slot, m.cap[slot]
	m.cap[slot] = i + 1
	return true
}

// btResult is how a choice point ended.
type btResult uint8

const (
	btGoOn    btResult = iota // the last choice is left to the caller
	btMatched                 // a choice matched
	btFailed                  // no choice matched, or the search gave up
)

// try runs the path from n at i as one choice of several: on failure its
// captures are undone. It reports a match or a search given up.
func (m *btMachine) try(n *btNode, i int) (btResult, bool) {
	if m.steps++; m.steps > m.budget {
		m.abort = true
		return btFailed, true
	}
	mark := len(m.trail)
	m.depth++
	ok := m.run(n, i)
	m.depth--
	if ok {
		return btMatched, true
	}
	for k := len(m.trail) - 2; k >= mark; k -= 2 {
		m.cap[m.trail[k]] = m.trail[k+1]
	}
	m.trail = m.trail[:mark]
	return btFailed, m.abort
}

// run reports whether the path from n matches text from i on. The last
// choice left at a choice point continues the loop; the others recurse.
func (m *btMachine) run(n *btNode, i int) bool {
	text := m.text
	for {
		switch n.op {
		case btLit:
			if len(n.lit) == 1 && !n.fold {
				// most literals between runs are one byte
				if i == len(text) || text[i] != n.lit[0] {
					return false
				}
			} else if !hasLit(text[i:], n.lit, n.fold) {
				return false
			}
			i += len(n.lit)
		case btRun:
			if n.det {
				// the common case inline: one length to take
				j := n.scan(text, i)
				if j-i < n.min || !n.follows(text, j) {
					return false
				}
				i = j
				break
			}
			k, res := m.runChoices(n, i)
			if res != btGoOn {
				return res == btMatched
			}
			i = k
		case btSave:
			if !m.noCap && !m.save(n.slot, i) {
				return false
			}
		case btAlt, btLoop:
			b := btEnd
			if i < len(text) {
				b = int(text[i])
			}
			if left := n.viable[b]; left&(left-1) == 0 {
				// the common case inline: at most one branch left
				if left == 0 {
					return false
				}
				n = n.alts[bits.TrailingZeros16(left)]
				continue
			}
			next, res := m.altChoices(n, i)
			if res != btGoOn {
				return res == btMatched
			}
			n = next
			continue
		case btMatch:
			m.end = i
			return true
		case btFail:
			return false
		default:
			if !m.assert(n.op, i) {
				return false
			}
		}
		n = n.next
	}
}

// runChoices tries a run node's lengths, the longest first when greedy
// (the shortest otherwise), skipping those its continuation cannot
// start after; all but the last are tried here, the last is returned.
func (m *btMachine) runChoices(n *btNode, i int) (last int, res btResult) {
	text := m.text
	j := n.scan(text, i)
	if j-i < n.min {
		return 0, btFailed
	}
	k, stop, step := j, i+n.min-1, -1
	if !n.greedy {
		k, stop, step = i+n.min, j+1, 1
	}
	last = -1
	for ; k != stop; k += step {
		if !n.follows(text, k) {
			continue
		}
		if last >= 0 {
			if res, stop := m.try(n.next, last); stop {
				return 0, res
			}
		}
		last = k
	}
	if last < 0 {
		return 0, btFailed
	}
	return last, btGoOn
}

// altChoices tries an alternation's branches in order (a loop's: one
// more iteration, then the exit; the reverse when lazy), skipping those
// that cannot start at i; the last one left is returned.
func (m *btMachine) altChoices(n *btNode, i int) (last *btNode, res btResult) {
	b := btEnd
	if i < len(m.text) {
		b = int(m.text[i])
	}
	for left := n.viable[b]; left != 0; {
		k := bits.TrailingZeros16(left)
		if left &= left - 1; left == 0 {
			return n.alts[k], btGoOn
		}
		if res, stop := m.try(n.alts[k], i); stop {
			return nil, res
		}
	}
	return nil, btFailed
}

// btEnd indexes btNode.viable at the end of the text.
const btEnd = utf8.RuneSelf

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

// scan returns the end of the longest run from i (at most max bytes).
func (n *btNode) scan(text string, i int) int {
	end := len(text)
	if n.max >= 0 && n.max < end-i {
		end = i + n.max
	}
	j := i
	for j < end && n.set.has(text[j]) {
		j++
	}
	return j
}

// follows reports whether the run's continuation may start at k.
func (n *btNode) follows(text string, k int) bool {
	if !n.filter {
		return true
	}
	if k == len(text) {
		return n.followEnd
	}
	return n.follow.has(text[k])
}

// assert checks a zero-width assertion at i.
func (m *btMachine) assert(op btOp, i int) bool {
	text := m.text
	switch op {
	case btBeginText:
		return i == 0
	case btEndText:
		return i == len(text)
	case btBeginLine:
		return i == 0 || text[i-1] == '\n'
	case btEndLine:
		return i == len(text) || text[i] == '\n'
	}
	before := i > 0 && isWordByte(text[i-1])
	after := i < len(text) && isWordByte(text[i])
	return (before != after) == (op == btWordB)
}

func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// hasLit reports whether s starts with lit (lit lower case when fold).
func hasLit(s, lit string, fold bool) bool {
	if !fold {
		return strings.HasPrefix(s, lit)
	}
	if len(s) < len(lit) {
		return false
	}
	for k := 0; k < len(lit); k++ {
		if lowerASCII(s[k]) != lit[k] {
			return false
		}
	}
	return true
}

// findASCII is re.FindStringSubmatchIndex on ASCII text, by the walk p
// when there is one and it answers; the walk's result lives in buf when
// it is large enough.
func findASCII(re *regexp.Regexp, p *btProg, text string, buf []int) []int {
	if p != nil {
		if loc, ok := p.find(text, buf); ok {
			return loc
		}
	}
	return re.FindStringSubmatchIndex(text)
}

// matchASCII is re.MatchString on ASCII text, by the walk p when there
// is one and it answers.
func matchASCII(re *regexp.Regexp, p *btProg, text string) bool {
	if p != nil {
		if ok, done := p.matchString(text); done {
			return ok
		}
	}
	return re.MatchString(text)
}
