package filter

import (
	"math/bits"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The RE2 rewrite gives patterns with conditionals and lookahead loops
// (stock sshd's "(?(cond_user): |…)" and "(?:(?! from ).)*?") an exact
// RE2 form for ASCII text; regexp2 stays for other text and as the
// fallback.
//
// Conditionals. (?(g)A|B) tests whether group g has matched so far. When g
// is captured by an optional or alternative piece P of a sequence P Z and
// the conditional lies in Z, P is distributed over Z: under leftmost-first
// priority (RE2's submatch rule and Python's backtracking alike),
// (X|Y)Z ≡ XZ|YZ, X?Z ≡ XZ|Z and X??Z ≡ Z|XZ. In each copy it is known
// whether g took part, so the conditional becomes A or B. Groups copied
// this way get distinct internal names; a Match reports, for each public
// name, the one copy that took part (copies lie in different alternatives,
// so at most one does). Anything the rewrite cannot decide statically (a
// conditional or a tested group inside a repetition, a test of an unnamed
// group, more than rewriteMaxVariants copies) keeps the pattern on
// regexp2.
//
// Lookahead loops. A loop (?:(?!LIT)c)* (any quantifier, c one
// character, LIT a plain literal) becomes the capture (c*) with the same
// quantifier, and the constraint is checked over the captured span after
// the search: no LIT starts at any position the loop consumed. The RE2
// form accepts a superset of the paths of the real pattern, in the same
// priority order, so no RE2 match means no match; and if the path RE2
// found satisfies every dropped constraint, it is the first path of the
// real pattern too, with the same groups. When a constraint fails, a later
// path may still match: the text goes to regexp2. Such a loop inside
// another repetition (where the capture would only keep the last
// iteration) and lookaheads outside a loop keep the pattern on regexp2.

// rewrite is the RE2 form of a pattern with conditionals or lookahead
// loops, for ASCII text: one regex, or (see rewrite_split.go) a list of
// start-anchored alternatives tried in order. It is immutable and safe
// for concurrent use.
type rewrite struct {
	alts []rwAlt
	idx  []int // the compact layout: name k at subexpression k+1
	// lits are the distinct literals of all alternatives: they share
	// most of them (the copies of one pattern), so a search looks each
	// up in the text once (litMemo), not once per alternative.
	lits []string
}

// rwAlt is one compiled alternative.
type rwAlt struct {
	re     *regexp.Regexp
	walk   *btProg  // re as a backtracking walk (nil: none; btmatch.go)
	prefix string   // text every match starts with (anchored alternatives)
	lits   []string // texts every match contains, none within prefix
	need   uint64   // lits as bits of rewrite.lits (see shareLits)
	slots  [][]int  // subexpressions of each of the Regex's names
	checks []loopCheck
}

// loopCheck is the dropped lookahead of one loop capture.
type loopCheck struct {
	sub int // subexpression of the loop capture
	lit string
	neg bool
}

// holds reports whether the lookahead is true at every position in
// [a, b) of text.
func (c loopCheck) holds(text string, a, b int) bool {
	if c.neg {
		end := min(len(text), b+len(c.lit)-1)
		return a >= b || !strings.Contains(text[a:end], c.lit)
	}
	for i := a; i < b; i++ {
		if !strings.HasPrefix(text[i:], c.lit) {
			return false
		}
	}
	return true
}

// rewriteMaxVariants bounds the copies one distribution may make, and
// rewriteMaxCopies those of all distributions of a pattern together.
const (
	rewriteMaxVariants = 64
	rewriteMaxCopies   = 256
)

// newRewrite builds the RE2 form of expr, or nil when there is nothing to
// rewrite or the rewrite cannot be proven exact.
func newRewrite(expr string, names []string, multiline bool) *rewrite {
	m := &markTable{}
	tr := &translator{src: expr, t: targetASCII, multiline: multiline, marks: m}
	tr.run()
	if tr.err != nil || len(tr.stack) != 0 || tr.needBT != "" || m.bad || len(m.conds)+len(m.looks) == 0 {
		return nil
	}
	parsed, err := syntax.Parse(tr.out.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	rw := &rewriter{marks: m, tested: map[string]bool{}, dist: map[*syntax.Regexp]bool{}}
	for _, g := range m.conds {
		rw.tested[g] = true
	}
	out, _, ok := rw.node(parsed, condEnv{})
	if ok {
		out, ok = rw.loops(out, false)
	}
	if !ok {
		return nil
	}
	asciiClasses(out)
	w := &rewrite{idx: make([]int, len(names))}
	for k := range names {
		w.idx[k] = k + 1
	}
	for _, a := range rw.split(out) {
		alt, ok := newRwAlt(a, names, m)
		if !ok {
			return nil
		}
		w.alts = append(w.alts, alt)
	}
	w.shareLits()
	return w
}

// capInfo says what one capture of the rewritten tree stands for.
type capInfo struct {
	public string // the pattern's group name ("" if none)
	look   int    // lookahead of a loop capture, else -1
}

// newRwAlt compiles one alternative with its group and check tables.
func newRwAlt(tree *syntax.Regexp, names []string, m *markTable) (rwAlt, bool) {
	tree = cloneTree(tree)
	var caps []capInfo
	nameCaptures(tree, &caps)
	re, err := regexp.Compile(tree.String())
	if err != nil || re.NumSubexp() != len(caps) {
		return rwAlt{}, false
	}
	a := rwAlt{re: re, walk: newBTProg(re), prefix: treePrefix(tree), slots: make([][]int, len(names))}
	for _, l := range mustContain(tree) {
		// HasPrefix(prefix) already implies a literal inside it
		if !strings.Contains(a.prefix, l) && !slices.Contains(a.lits, l) {
			a.lits = append(a.lits, l)
		}
	}
	for k, n := range names {
		for i, c := range caps {
			if c.public == n && n != "" {
				a.slots[k] = append(a.slots[k], i+1)
			}
		}
	}
	for i, c := range caps {
		if c.look >= 0 {
			l := m.looks[c.look]
			a.checks = append(a.checks, loopCheck{sub: i + 1, lit: l.lit, neg: l.neg})
		}
	}
	return a, true
}

// treePrefix is the literal text a start-anchored tree begins with. It
// reads on into captures (fail2ban's <F-NOFAIL>Connection from</F-NOFAIL>
// wraps a literal in a group), so the prefix rejects such lines on their
// first bytes rather than the literal by a scan of the whole text.
func treePrefix(re *syntax.Regexp) string {
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText {
		return ""
	}
	var b strings.Builder
	litPrefix(&b, re.Sub[1:])
	return b.String()
}

// litPrefix appends to b the literal text the sequence subs begins with
// and reports whether all of subs is that text.
func litPrefix(b *strings.Builder, subs []*syntax.Regexp) bool {
	for _, s := range subs {
		switch s.Op {
		case syntax.OpEmptyMatch:
		case syntax.OpLiteral:
			if s.Flags&syntax.FoldCase != 0 {
				return false
			}
			b.WriteString(string(s.Rune))
		case syntax.OpCapture, syntax.OpConcat:
			if !litPrefix(b, s.Sub) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// search finds the leftmost match in ASCII text. done false means a
// dropped lookahead failed on RE2's path and regexp2 must decide;
// otherwise loc is the match (nil: none) in the compact layout w.idx,
// in buf when it is large enough; a walk works in sc (nil: a fresh one).
func (w *rewrite) search(text string, buf []int, sc *btScratch) (loc []int, done bool) {
	var memo litMemo
	var tmp [btMaxSlots]int // the walk's result, before finish lays it out
	for i := range w.alts {
		a := &w.alts[i]
		if !w.mayMatch(a, text, &memo) {
			continue
		}
		if raw := findASCII(a.re, a.walk, text, tmp[:0], sc); raw != nil {
			return a.finish(text, raw, buf)
		}
	}
	return nil, true
}

// matchString reports whether the RE2 form (a superset of the pattern)
// matches.
func (w *rewrite) matchString(text string) bool {
	var memo litMemo
	for i := range w.alts {
		if a := &w.alts[i]; w.mayMatch(a, text, &memo) && matchASCII(a.re, a.walk, text) {
			return true
		}
	}
	return false
}

// maxSharedLits bounds rewrite.lits: one bit each in a uint64.
const maxSharedLits = 64

// shareLits collects the alternatives' literals into w.lits and sets
// each alternative's need; with too many to share, w.lits stays nil and
// every alternative looks its own literals up.
func (w *rewrite) shareLits() {
	for i := range w.alts {
		a := &w.alts[i]
		for _, l := range a.lits {
			k := slices.Index(w.lits, l)
			if k < 0 {
				if len(w.lits) == maxSharedLits {
					w.lits = nil
					for j := range w.alts {
						w.alts[j].need = 0
					}
					return
				}
				k = len(w.lits)
				w.lits = append(w.lits, l)
			}
			a.need |= 1 << k
		}
	}
}

// litMemo is what one search learned about the text: for each literal
// of rewrite.lits looked up (known), whether the text contains it (has).
type litMemo struct{ known, has uint64 }

// mayMatch reports whether the text passes a's prefix and literals: a
// is the alternative's mayMatch, with each literal looked up at most
// once per text across the alternatives.
func (w *rewrite) mayMatch(a *rwAlt, text string, memo *litMemo) bool {
	if !strings.HasPrefix(text, a.prefix) {
		return false
	}
	if w.lits == nil {
		return containsAll(text, a.lits)
	}
	if a.need&memo.known&^memo.has != 0 {
		return false // a literal already found missing
	}
	for todo := a.need &^ memo.known; todo != 0; todo &= todo - 1 {
		k := bits.TrailingZeros64(todo)
		memo.known |= 1 << k
		if !strings.Contains(text, w.lits[k]) {
			return false
		}
		memo.has |= 1 << k
	}
	return true
}

func containsAll(text string, lits []string) bool {
	for _, l := range lits {
		if !strings.Contains(text, l) {
			return false
		}
	}
	return true
}

// finish checks the dropped lookaheads on RE2's path and lays the groups
// out by name.
func (a *rwAlt) finish(text string, raw, buf []int) (loc []int, done bool) {
	for _, c := range a.checks {
		if s := raw[2*c.sub]; s >= 0 && !c.holds(text, s, raw[2*c.sub+1]) {
			return nil, false
		}
	}
	n := 2 + 2*len(a.slots)
	if len(buf) >= n {
		loc = buf[:n]
	} else {
		loc = make([]int, n)
	}
	loc[0], loc[1] = raw[0], raw[1]
	for k, subs := range a.slots {
		loc[2*k+2], loc[2*k+3] = -1, -1
		for _, s := range subs {
			if raw[2*s] >= 0 {
				loc[2*k+2], loc[2*k+3] = raw[2*s], raw[2*s+1]
				break
			}
		}
	}
	return loc, true
}

// Group states in a condEnv.
const (
	groupUnset   int8 = iota // not matched (the zero value)
	groupSet                 // matched on every path so far
	groupUnknown             // matched on some paths only
)

// condEnv maps tested group names to their state at a point of the
// pattern; it is never modified, only copied.
type condEnv map[string]int8

func (e condEnv) with(g string, s int8) condEnv {
	c := make(condEnv, len(e)+1)
	for k, v := range e {
		c[k] = v
	}
	c[g] = s
	return c
}

// mergeEnv is the state after either of two paths.
func mergeEnv(a, b condEnv) condEnv {
	out := condEnv{}
	for _, e := range []condEnv{a, b} {
		for g := range e {
			if a[g] != b[g] {
				out[g] = groupUnknown
			} else if a[g] != groupUnset {
				out[g] = a[g]
			}
		}
	}
	return out
}

// newlyUnknown reports a group unknown in after that was not in before.
func newlyUnknown(before, after condEnv) bool {
	for g, s := range after {
		if s == groupUnknown && before[g] != groupUnknown {
			return true
		}
	}
	return false
}

// rewriter resolves the conditionals of one parsed pattern.
type rewriter struct {
	marks  *markTable
	tested map[string]bool         // groups some conditional tests
	dist   map[*syntax.Regexp]bool // alternations made by distribution
	copies int                     // sequence copies made so far
}

// variant is one copy of a distributed piece, with the group states after
// it.
type variant struct {
	re  *syntax.Regexp
	env condEnv
}

// node resolves the conditionals in re, entered in state env; it returns
// the new tree and the state after it.
func (rw *rewriter) node(re *syntax.Regexp, env condEnv) (*syntax.Regexp, condEnv, bool) {
	switch re.Op {
	case syntax.OpCapture:
		kind, n, isMark := parseMark(re.Name)
		switch {
		case isMark && kind == markCond:
			br, ok := rw.branch(re, n, env)
			if !ok {
				return nil, nil, false
			}
			return rw.node(br, env)
		case isMark && kind == markLook:
			return re, env, true
		case isMark:
			return nil, nil, false
		}
		sub, after, ok := rw.node(re.Sub[0], env)
		if !ok {
			return nil, nil, false
		}
		if rw.tested[re.Name] {
			after = after.with(re.Name, groupSet)
		}
		return withSubs(re, sub), after, true
	case syntax.OpConcat:
		return rw.concat(re.Sub, env)
	case syntax.OpAlternate:
		subs := make([]*syntax.Regexp, len(re.Sub))
		var after condEnv
		for i, s := range re.Sub {
			o, e, ok := rw.node(s, env)
			if !ok {
				return nil, nil, false
			}
			subs[i] = o
			if i == 0 {
				after = e
			} else {
				after = mergeEnv(after, e)
			}
		}
		return withSubs(re, subs...), after, true
	case syntax.OpQuest:
		o, e, ok := rw.node(re.Sub[0], env)
		if !ok {
			return nil, nil, false
		}
		return withSubs(re, o), mergeEnv(e, env), true
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		if rw.touchesConds(re.Sub[0]) {
			return nil, nil, false
		}
	}
	return re, env, true
}

// branch is the side of conditional n that state env selects.
func (rw *rewriter) branch(re *syntax.Regexp, n int, env condEnv) (*syntax.Regexp, bool) {
	s := env[rw.marks.conds[n]]
	alt := re.Sub[0]
	if s == groupUnknown || alt.Op != syntax.OpAlternate || len(alt.Sub) != 2 {
		return nil, false
	}
	want := markName(markNo, n)
	if s == groupSet {
		want = markName(markYes, n)
	}
	for _, b := range alt.Sub {
		if b.Op == syntax.OpCapture && b.Name == want {
			return b.Sub[0], true
		}
	}
	return nil, false
}

// concat resolves a sequence, distributing a piece over the rest of the
// sequence when the rest tests a group the piece may or may not capture.
func (rw *rewriter) concat(subs []*syntax.Regexp, env condEnv) (*syntax.Regexp, condEnv, bool) {
	var outs []*syntax.Regexp
	for i, s := range subs {
		o, after, ok := rw.node(s, env)
		if !ok {
			return nil, nil, false
		}
		rest := subs[i+1:]
		if !newlyUnknown(env, after) || !rw.testedIn(rest, after) {
			outs, env = append(outs, o), after
			continue
		}
		vs, ok := rw.variants(s, env)
		if rw.copies += len(vs); !ok || rw.copies > rewriteMaxCopies {
			return nil, nil, false
		}
		alts := make([]*syntax.Regexp, len(vs))
		var end condEnv
		for j, v := range vs {
			r, e, ok := rw.concat(rest, v.env)
			if !ok {
				return nil, nil, false
			}
			alts[j] = concatOf(v.re, r)
			if j == 0 {
				end = e
			} else {
				end = mergeEnv(end, e)
			}
		}
		d := alternateOf(alts)
		rw.dist[d] = true
		return concatOf(append(outs, d)...), end, true
	}
	return concatOf(outs...), env, true
}

// variants splits re into copies after each of which every tested group
// has a known state, in priority order.
func (rw *rewriter) variants(re *syntax.Regexp, env condEnv) ([]variant, bool) {
	o, after, ok := rw.node(re, env)
	if !ok {
		return nil, false
	}
	if !newlyUnknown(env, after) {
		return []variant{{o, after}}, true
	}
	var vs []variant
	switch re.Op {
	case syntax.OpCapture:
		if kind, n, isMark := parseMark(re.Name); isMark && kind == markCond {
			br, ok := rw.branch(re, n, env)
			if !ok {
				return nil, false
			}
			return rw.variants(br, env)
		}
		inner, ok := rw.variants(re.Sub[0], env)
		if !ok {
			return nil, false
		}
		for _, v := range inner {
			e := v.env
			if rw.tested[re.Name] {
				e = e.with(re.Name, groupSet)
			}
			vs = append(vs, variant{withSubs(re, v.re), e})
		}
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			inner, ok := rw.variants(s, env)
			if !ok {
				return nil, false
			}
			vs = append(vs, inner...)
		}
	case syntax.OpQuest:
		inner, ok := rw.variants(re.Sub[0], env)
		if !ok {
			return nil, false
		}
		skip := variant{&syntax.Regexp{Op: syntax.OpEmptyMatch}, env}
		if re.Flags&syntax.NonGreedy != 0 {
			vs = append([]variant{skip}, inner...)
		} else {
			vs = append(inner, skip)
		}
	case syntax.OpConcat:
		vs = []variant{{nil, env}}
		for _, s := range re.Sub {
			var next []variant
			for _, head := range vs {
				inner, ok := rw.variants(s, head.env)
				if !ok {
					return nil, false
				}
				for _, v := range inner {
					next = append(next, variant{concatOf(head.re, v.re), v.env})
				}
				if len(next) > rewriteMaxVariants {
					return nil, false
				}
			}
			vs = next
		}
	default:
		return nil, false
	}
	return vs, len(vs) <= rewriteMaxVariants
}

// testedIn reports whether a conditional in subs tests a group whose
// state in env is unknown.
func (rw *rewriter) testedIn(subs []*syntax.Regexp, env condEnv) bool {
	for _, s := range subs {
		if kind, n, ok := parseMark(s.Name); s.Op == syntax.OpCapture && ok && kind == markCond &&
			env[rw.marks.conds[n]] == groupUnknown {
			return true
		}
		if rw.testedIn(s.Sub, env) {
			return true
		}
	}
	return false
}

// touchesConds reports a conditional or a capture of a tested group in
// re.
func (rw *rewriter) touchesConds(re *syntax.Regexp) bool {
	if re.Op == syntax.OpCapture {
		if kind, _, ok := parseMark(re.Name); (ok && kind != markLook) || rw.tested[re.Name] {
			return true
		}
	}
	for _, s := range re.Sub {
		if rw.touchesConds(s) {
			return true
		}
	}
	return false
}

// loops turns each lookahead loop into a loop capture (named after its
// lookahead's marker); false if a lookahead is anywhere else or the loop
// is itself repeated.
func (rw *rewriter) loops(re *syntax.Regexp, inLoop bool) (*syntax.Regexp, bool) {
	switch re.Op {
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		if n, c, ok := lookLoop(re.Sub[0]); ok {
			if inLoop {
				return nil, false
			}
			return &syntax.Regexp{Op: syntax.OpCapture, Name: markName(markLook, n), Sub: []*syntax.Regexp{withSubs(re, c)}}, true
		}
		inLoop = true
	case syntax.OpCapture:
		if kind, _, ok := parseMark(re.Name); ok && kind == markLook {
			return nil, false
		}
	}
	if len(re.Sub) == 0 {
		return re, true
	}
	subs := make([]*syntax.Regexp, len(re.Sub))
	for i, s := range re.Sub {
		o, ok := rw.loops(s, inLoop)
		if !ok {
			return nil, false
		}
		subs[i] = o
	}
	c := withSubs(re, subs...)
	rw.dist[c] = rw.dist[re]
	return c, true
}

// lookLoop matches a loop body (?P<f2blN>)c with c one character: the
// lookahead's number and c.
func lookLoop(body *syntax.Regexp) (int, *syntax.Regexp, bool) {
	if body.Op != syntax.OpConcat || len(body.Sub) != 2 {
		return 0, nil, false
	}
	m, c := body.Sub[0], body.Sub[1]
	kind, n, ok := parseMark(m.Name)
	if m.Op != syntax.OpCapture || !ok || kind != markLook || m.Sub[0].Op != syntax.OpEmptyMatch {
		return 0, nil, false
	}
	switch {
	case c.Op == syntax.OpAnyCharNotNL, c.Op == syntax.OpAnyChar, c.Op == syntax.OpCharClass,
		c.Op == syntax.OpLiteral && len(c.Rune) == 1:
		return n, c, true
	}
	return 0, nil, false
}

// withSubs is a shallow copy of re with other operands.
func withSubs(re *syntax.Regexp, subs ...*syntax.Regexp) *syntax.Regexp {
	c := *re
	c.Sub = subs
	return &c
}

func concatOf(subs ...*syntax.Regexp) *syntax.Regexp {
	var flat []*syntax.Regexp
	for _, s := range subs {
		switch {
		case s == nil || s.Op == syntax.OpEmptyMatch:
		case s.Op == syntax.OpConcat:
			flat = append(flat, s.Sub...)
		default:
			flat = append(flat, s)
		}
	}
	switch len(flat) {
	case 0:
		return &syntax.Regexp{Op: syntax.OpEmptyMatch}
	case 1:
		return flat[0]
	}
	return &syntax.Regexp{Op: syntax.OpConcat, Sub: flat}
}

func alternateOf(subs []*syntax.Regexp) *syntax.Regexp {
	if len(subs) == 1 {
		return subs[0]
	}
	return &syntax.Regexp{Op: syntax.OpAlternate, Sub: subs}
}

// asciiClasses cuts every character class of re down to its ASCII part,
// in place: the rewrite only ever sees ASCII text, and a negated class
// spanning all of Unicode makes printing the tree slow (syntax's String
// computes case-folding closures) and matching it costlier.
func asciiClasses(re *syntax.Regexp) {
	if re.Op == syntax.OpCharClass {
		var r []rune
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if lo, hi := re.Rune[i], min(re.Rune[i+1], utf8.RuneSelf-1); lo <= hi {
				r = append(r, lo, hi)
			}
		}
		if re.Rune = r; len(r) == 0 {
			re.Op = syntax.OpNoMatch
		}
	}
	for _, s := range re.Sub {
		asciiClasses(s)
	}
}

// cloneTree deep-copies re: distribution shares subtrees between copies,
// and each copy's captures need their own names.
func cloneTree(re *syntax.Regexp) *syntax.Regexp {
	c := *re
	c.Sub = make([]*syntax.Regexp, len(re.Sub))
	for i, s := range re.Sub {
		c.Sub[i] = cloneTree(s)
	}
	c.Rune = append([]rune(nil), re.Rune...)
	return &c
}

// nameCaptures gives every capture of re, in the order its String form
// writes them, a distinct internal name, recording what it stands for.
func nameCaptures(re *syntax.Regexp, caps *[]capInfo) {
	if re.Op == syntax.OpCapture {
		info := capInfo{public: re.Name, look: -1}
		if kind, n, ok := parseMark(re.Name); ok && kind == markLook {
			info = capInfo{look: n}
		}
		*caps = append(*caps, info)
		re.Name = "f2bg" + strconv.Itoa(len(*caps))
		re.Cap = len(*caps)
	}
	for _, s := range re.Sub {
		nameCaptures(s, caps)
	}
}
