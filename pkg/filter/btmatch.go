package filter

import (
	"math/bits"
	"regexp"
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
// own (a trail undoes them). Without a visited-state memo a search can
// take exponential time, so it counts the paths it tries and gives up
// past a budget linear in the text; the caller then asks Go's regexp
// (same result, just slower).
//
// Compiling the graph (btcompile.go) also works out, for every run, the
// bytes that can begin what follows it, and for every alternation which
// branches can begin with each byte, so the walk tries only lengths and
// branches that can go on.
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
	det    bool
	lit    string
	set    byteSet
	follow byteSet
	// followLit: a filtered btRun's continuation starts with this
	// literal (two bytes or more), so only lengths it follows are tried
	followLit string
	// oneFollow: follow holds the single byte followByte, and followEnd
	// is false (the candidates are found with IndexByte)
	oneFollow  bool
	followByte byte
	min, max   int // btRun length bounds; max -1: unbounded
	slot       int // btSave: index into the capture array
	alts       []*btNode
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

// btScratch is the working memory of a search: the capture slots and
// the trail. A caller that searches line after line keeps one (in its
// reused Match), so that a search clears only the slots its pattern
// has instead of zeroing both arrays whole.
type btScratch struct {
	slots [btMaxSlots]int
	trail [btMaxTrail]int
}

// find is FindStringSubmatchIndex for ASCII text; ok false means the
// search gave up and Go's regexp must answer. The result lives in buf
// when it is large enough; sc is the search's working memory (nil: a
// fresh one).
func (p *btProg) find(text string, buf []int, sc *btScratch) (loc []int, ok bool) {
	if sc == nil {
		sc = new(btScratch)
	}
	slots := sc.slots[:p.nslot]
	clear(slots)
	m := btMachine{text: text, cap: slots, trail: sc.trail[:0], budget: btBudget(text)}
	matched := m.run(p.start, 0)
	if m.abort {
		return nil, false
	}
	if !matched {
		return nil, true
	}
	slots[0], slots[1] = 1, m.end+1
	if cap(buf) >= p.nslot {
		loc = buf[:p.nslot]
	} else {
		loc = make([]int, p.nslot)
	}
	for k, v := range slots {
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
			j := n.scan(text, i)
			if n.det || j == i+n.min {
				// the common cases inline: one length to take
				// (the longest), or only one length there
				if j-i < n.min || !n.follows(text, j) {
					return false
				}
				i = j
				break
			}
			k, res := m.runChoices(n, i, j)
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
// j is the end of the longest run from i (n.scan).
func (m *btMachine) runChoices(n *btNode, i, j int) (last int, res btResult) {
	text := m.text
	lo := i + n.min
	if j < lo {
		return 0, btFailed
	}
	k, step := j, -1
	if !n.greedy {
		k, step = lo, 1
	}
	last = -1
	for ; lo <= k && k <= j; k += step {
		if n.oneFollow {
			if k = n.seek(text, k, lo, j, step); k < 0 {
				break
			}
		} else if !n.follows(text, k) {
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

// seek returns the first end offset from k on, moving by step (+1 or -1)
// within [lo, hi], after which the run's continuation may start; -1 if
// none. It is for runs whose continuation starts with one byte value
// (oneFollow), found by IndexByte/LastIndexByte rather than byte by
// byte, and with followLit checked whole.
func (n *btNode) seek(text string, k, lo, hi, step int) int {
	end := min(hi+1, len(text)) // the byte cannot follow at the text end
	k = min(k, end-1)
	for lo <= k && k < end {
		if step > 0 {
			p := strings.IndexByte(text[k:end], n.followByte)
			if p < 0 {
				return -1
			}
			k += p
		} else {
			p := strings.LastIndexByte(text[lo:k+1], n.followByte)
			if p < 0 {
				return -1
			}
			k = lo + p
		}
		if n.followLit == "" || strings.HasPrefix(text[k:], n.followLit) {
			return k
		}
		k += step
	}
	return -1
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
// it is large enough, and it works in sc (nil: a fresh one).
func findASCII(re *regexp.Regexp, p *btProg, text string, buf []int, sc *btScratch) []int {
	if p != nil {
		if loc, ok := p.find(text, buf, sc); ok {
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
