package datedetect

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// exactTimeout bounds one regexp2 search; date regexes are small, so only a
// pathological user pattern can come near it.
const exactTimeout = 100 * time.Millisecond

// matcher runs one template regex: the relaxed Go regex first, regexp2 when
// a dropped condition fails or the Go form cannot express the pattern.
type matcher struct {
	fast        *regexp.Regexp // nil: exact only
	exact       *regexp2.Regexp
	exactOnce   sync.Once // regexp2 is compiled on first use when fast exists
	netExpr     string
	needExact   bool // every fast match must be confirmed by exact
	caret       bool
	dollar      bool
	wordBegin   bool // verify fail2ban's (?=^|\b|\W) prefix in code
	wordEnd     bool // verify fail2ban's (?=\b|\W|$) suffix in code
	npy         int  // number of Python groups
	pyToGo      []int
	backrefs    [][2]int       // Go subexp pairs that must capture equal text
	netGroups   []string       // Python group i+1 → regexp2 group name
	names       []string       // Python group i+1 → Python name ("" unnamed)
	keys        []byte         // Python group i+1 → fieldKey of its name
	secGroup    int            // Python group of %S, 0 if none
	fracGroup   int            // Python group of %f, 0 if none
	convLoc     []int          // loc indices of those groups (convCache)
	minGroups   []int          // Python groups the rest of a conversion reads
	width       int            // anchoredWidth of the fast regex (-1: search it all)
	anch        *regexp.Regexp // ^(?:fast), tried at candidate starts
	anchWidth   int
	first       firstSet
	useFirst    bool     // scan candidate starts instead of searching
	start       firstSet // anchored regexes: first byte of the body
	startLN     bool     // body follows {^LN-BEG}'s ^(?:\W{0,2})?
	useStart    bool
	hand        handKind // hand-written body matcher, handNone if none
	handLB      bool     // hand matcher: {^LN-BEG} (else plain ^) anchoring
	handCent    string   // third digits %ExY accepts ("012")
	handCentSet uint64   // handCent as a bit set of byte&63
}

// newMatcher compiles body (the regex without fail2ban's word boundaries,
// which wordBegin/wordEnd stand for) with the global flags gf.
func newMatcher(gf, body string, wordBegin, wordEnd bool) (*matcher, error) {
	m := &matcher{wordBegin: wordBegin, wordEnd: wordEnd}
	netBody := body
	if wordBegin {
		netBody = `(?=^|\b|\W)` + netBody
	}
	if wordEnd {
		netBody += `(?=\b|\W|$)`
	}
	net, err := translate(gf+netBody, dialectNet)
	if err != nil {
		return nil, err
	}
	m.netExpr = net.expr
	m.netGroups = net.groups
	m.npy = len(net.groups)
	m.names = make([]string, m.npy)
	m.keys = make([]byte, m.npy)
	for i, n := range net.groups {
		if !strings.HasPrefix(n, "__g") {
			m.names[i], m.keys[i] = n, fieldKey(n)
		}
	}
	m.setConvGroups()
	if err := m.compileFast(gf + body); err != nil {
		m.fast = nil // the exact engine alone carries this template
	}
	if m.fast == nil {
		var err error
		m.exactOnce.Do(func() { err = m.compileExact() })
		if err != nil {
			return nil, err
		}
	}
	return m, nil
}

// compileExact compiles the regexp2 translation. Templates with a fast
// form compile it on first use: most never need it, and regexp2 is slow to
// compile.
func (m *matcher) compileExact() error {
	re, err := regexp2.Compile(m.netExpr, regexp2.None)
	if err != nil {
		return fmt.Errorf("compiling %q: %w", m.netExpr, err)
	}
	re.MatchTimeout = exactTimeout
	m.exact = re
	return nil
}

func (m *matcher) compileFast(expr string) error {
	tr, err := translate(expr, dialectGo)
	if err != nil {
		return err
	}
	re, err := regexp.Compile(tr.expr)
	if err != nil {
		return errNoFast
	}
	m.fast, m.needExact, m.caret, m.dollar = re, tr.needExact, tr.caret, tr.dollar
	m.width = -1
	if !tr.dollar {
		m.width = anchoredWidth(tr.expr)
	}
	m.setCandidates(tr)
	m.setStart(tr)
	m.pyToGo = make([]int, 0, m.npy)
	names := re.SubexpNames()
	for i := 1; i < len(names); i++ {
		if !strings.HasPrefix(names[i], "__br") {
			m.pyToGo = append(m.pyToGo, i)
		}
	}
	if len(m.pyToGo) != m.npy {
		m.fast = nil
		return errNoFast
	}
	for _, br := range tr.backrefs {
		m.backrefs = append(m.backrefs, [2]int{re.SubexpIndex(br[0]), re.SubexpIndex(br[1])})
	}
	return nil
}

// match searches line[pos:end] (the text ending at end, with the context
// before pos visible as in Python's pattern.search(line, pos, endpos)) and
// returns Python-numbered byte offsets: [2i, 2i+1] is group i, -1 if unset.
// The result is either an allocated slice or, when ext is nil, the first n
// entries of buf. canon reports a match of the whole line the hand matcher
// decided in the canonical layout (secondsMemo).
func (m *matcher) match(line string, pos, end int, buf *[32]int) (ext []int, n int, ok, canon bool) {
	s := line[:end]
	if m.hand != handNone && pos == 0 {
		n, ok, verified, canon := m.handMatch(s, buf)
		if !ok {
			return nil, 0, false, false
		}
		if verified {
			return nil, n, true, canon && end == len(line)
		}
		ext, ok = m.matchExact(s, pos)
		return ext, 0, ok, false
	}
	ext, ok = m.matchRegexp(line, s, pos)
	return ext, 0, ok, false
}

// setCandidates prepares the candidate-start search for unanchored
// templates with a begin bound: a match can only start where the line has
// one of the regex's first characters and fail2ban's begin bound holds.
func (m *matcher) setCandidates(tr translation) {
	if tr.caret || tr.dollar || !m.wordBegin {
		return
	}
	f, ok := firstBytes(tr.expr)
	if !ok {
		return
	}
	anch, err := regexp.Compile(`^(?:` + tr.expr + `)`)
	if err != nil {
		return
	}
	m.anch, m.first, m.useFirst = anch, f, true
	m.anchWidth = anchoredWidth(`^(?:` + tr.expr + `)`)
}

// goLineBegin is the Go translation of fail2ban's {^LN-BEG} prefix.
const goLineBegin = `^(?:[^` + wordClass + `]{0,2})?`

// setStart prepares the first-byte check of anchored regexes.
func (m *matcher) setStart(tr translation) {
	expr := strings.TrimPrefix(tr.expr, "(?i)")
	body, ln := strings.CutPrefix(expr, goLineBegin)
	if !ln {
		if !strings.HasPrefix(expr, "^") {
			return
		}
		body = expr
	}
	if strings.HasPrefix(tr.expr, "(?i)") {
		body = "(?i)" + body
	}
	f, ok := firstBytes(body)
	if !ok {
		return
	}
	m.start, m.startLN, m.useStart = f, ln, true
}

// cannotStart reports that an anchored regex cannot match s: the byte
// where its body would begin is not one it starts with.
func (m *matcher) cannotStart(s string) bool {
	if !m.useStart {
		return false
	}
	i := 0
	for k := 0; ; k++ {
		if i < len(s) && m.start.has(s[i]) {
			return false
		}
		if !m.startLN || k == 2 || i >= len(s) {
			return true
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if isWord(r) {
			return true
		}
		i += w
	}
}

// matchCandidates tries the anchored regex at each candidate start. A
// start where fail2ban's begin bound fails can never yield Python's match,
// so skipping it keeps the result exact.
func (m *matcher) matchCandidates(s string, pos int) ([]int, bool) {
	for p := pos; p < len(s); p++ {
		if !m.first.has(s[p]) || !utf8.RuneStart(s[p]) || !beginBound(s, p) {
			continue
		}
		in := s[p:]
		if m.anchWidth >= 0 && len(in) > m.anchWidth {
			in = in[:m.anchWidth]
		}
		loc := m.anch.FindStringSubmatchIndex(in)
		if loc == nil {
			continue
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += p
			}
		}
		if m.verified(s, loc) {
			return m.toPy(loc), true
		}
		return m.matchExact(s, pos)
	}
	return nil, false
}

func (m *matcher) matchRegexp(line, s string, pos int) ([]int, bool) {
	if m.useFirst && !m.needExact {
		return m.matchCandidates(s, pos)
	}
	if pos == 0 && m.cannotStart(s) {
		return nil, false
	}
	if m.fast != nil && !(m.caret && pos > 0) && !(m.dollar && strings.HasSuffix(s, "\n")) {
		in := s[pos:]
		if m.width >= 0 && pos == 0 && len(in) > m.width {
			in = in[:m.width]
		}
		loc := m.fast.FindStringSubmatchIndex(in)
		if loc == nil {
			return nil, false
		}
		if pos > 0 {
			for i := range loc {
				if loc[i] >= 0 {
					loc[i] += pos
				}
			}
		}
		if m.verified(s, loc) {
			return m.toPy(loc), true
		}
	}
	return m.matchExact(s, pos)
}

func (m *matcher) verified(s string, loc []int) bool {
	if m.needExact {
		return false
	}
	if m.wordBegin && !beginBound(s, loc[0]) {
		return false
	}
	if m.wordEnd && !notInWord(s, loc[1]) {
		return false
	}
	for _, br := range m.backrefs {
		a, b := br[0], br[1]
		if loc[2*a] < 0 || s[loc[2*a]:loc[2*a+1]] != s[loc[2*b]:loc[2*b+1]] {
			return false
		}
	}
	return true
}

func (m *matcher) toPy(loc []int) []int {
	if len(m.backrefs) == 0 {
		return loc[:2*(m.npy+1)]
	}
	out := make([]int, 2*(m.npy+1))
	out[0], out[1] = loc[0], loc[1]
	for i, g := range m.pyToGo {
		out[2*i+2], out[2*i+3] = loc[2*g], loc[2*g+1]
	}
	return out
}

// matchExact runs regexp2 on the runes of s starting at byte offset pos.
func (m *matcher) matchExact(s string, pos int) ([]int, bool) {
	runes := []rune(s)
	offs := make([]int, 0, len(runes)+1)
	startRune := 0
	for i := range s {
		if i < pos {
			startRune++
		}
		offs = append(offs, i)
	}
	offs = append(offs, len(s))
	m.exactOnce.Do(func() { _ = m.compileExact() })
	if m.exact == nil {
		return nil, false
	}
	mt, err := m.exact.FindRunesMatchStartingAt(runes, startRune)
	if err != nil {
		// The deadline is wall-clock time: on a loaded machine it also
		// expires while the goroutine waits for a CPU. A search that
		// waited finishes on a second try; a runaway one times out again.
		mt, err = m.exact.FindRunesMatchStartingAt(runes, startRune)
	}
	if err != nil || mt == nil {
		return nil, false
	}
	out := make([]int, 2*(m.npy+1))
	out[0], out[1] = offs[mt.Index], offs[mt.Index+mt.Length]
	for i, name := range m.netGroups {
		g := mt.GroupByName(name)
		if g == nil || len(g.Captures) == 0 {
			out[2*i+2], out[2*i+3] = -1, -1
			continue
		}
		out[2*i+2], out[2*i+3] = offs[g.Index], offs[g.Index+g.Length]
	}
	return out, true
}

// asciiWord is isWord for ASCII, one lookup instead of four ranges.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	return t
}()

// isWord is Python's Unicode \w: letters, numbers and underscore.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// wordBefore and wordAt report whether the rune before/at byte i of s is a
// word character (false outside s).
func wordBefore(s string, i int) bool {
	if i <= 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isWord(r)
}

func wordAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isWord(r)
}

// notInWord is fail2ban's end boundary (?=\b|\W|$) at byte q of s: q is not
// between two word characters.
func notInWord(s string, q int) bool {
	if q > 0 && q < len(s) && s[q-1]|s[q] < utf8.RuneSelf {
		// both ASCII: the table lookups of isWord, inlined (&0x7f only
		// spares the bounds checks)
		return !asciiWord[s[q-1]&0x7f] || !asciiWord[s[q]&0x7f]
	}
	return !wordAt(s, q) || !wordBefore(s, q)
}

// beginBound is fail2ban's begin boundary (?=^|\b|\W) at byte p.
func beginBound(s string, p int) bool {
	if p == 0 {
		return true
	}
	if p >= len(s) {
		return wordBefore(s, p)
	}
	return notInWord(s, p)
}
