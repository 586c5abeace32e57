package filter

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// Engine names the regex engine a pattern was compiled with.
type Engine int

const (
	// EngineRE2 is Go's regexp: linear time, used whenever the pattern
	// translates to RE2 syntax.
	EngineRE2 Engine = iota + 1
	// EngineRegexp2 is github.com/dlclark/regexp2, a backtracking engine
	// used for lookarounds, conditionals and back-references; it runs
	// with a match timeout.
	EngineRegexp2
)

func (e Engine) String() string {
	switch e {
	case EngineRE2:
		return "re2"
	case EngineRegexp2:
		return "regexp2"
	}
	return "unknown"
}

// DefaultMatchTimeout bounds one regexp2 search.
const DefaultMatchTimeout = 200 * time.Millisecond

// ErrMatchTimeout reports a backtracking search that was cut off; the line
// counts as not matched.
var ErrMatchTimeout = errors.New("regex match timed out")

// RegexOptions tune CompileRegex.
type RegexOptions struct {
	Multiline bool          // Python re.MULTILINE
	Timeout   time.Duration // regexp2 match timeout; 0 = DefaultMatchTimeout
}

// Regex is a compiled Python-syntax regular expression.
type Regex struct {
	expr     string
	engine   Engine
	reason   string         // why regexp2 was needed
	ascii    *regexp.Regexp // RE2 form for pure-ASCII texts
	asciiBT  *btProg        // ascii as a backtracking walk (nil: none)
	uni      *regexp.Regexp // RE2 form for any text; nil: use bt
	bt       *regexp2.Regexp
	names    []string // named groups in pattern order
	asciiIdx []int    // subexpression index of names[k] in ascii
	uniIdx   []int
	literals []string // texts every match contains, longest first
	prefix   string   // text every match starts with at offset 0
	first    *byteSet // bytes a match at offset 0 can start with (nil: any)
	complex  *complexNames
	ids      groupIndex   // where the names report reads are
	dollar   bool         // RE2 forms approximate a single-line $ (see Search)
	host     *hostMatcher // placeholder form for ASCII text (nil: none)
	rw       *rewrite     // RE2 form of a regexp2 pattern for ASCII text (nil: none)
	// walks: ASCII text is searched by walks, not by Go's regexp
	// (precheck.go)
	walks bool
	// noPrefilter turns the cheap checks off (the reference path of the
	// differential tests).
	noPrefilter bool
	timeouts    atomic.Int64
	// asciiTail and uniTail are the group whose ".+" end the ascii and
	// uni forms had cut off (tail.go); 0: none.
	asciiTail, uniTail int
}

// CompileRegex translates a Python re pattern and compiles it with RE2 if
// possible, else with regexp2.
func CompileRegex(expr string, o RegexOptions) (*Regex, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultMatchTimeout
	}
	r := &Regex{expr: expr, engine: EngineRE2}
	tr, err := runTranslate(expr, targetASCII, o.Multiline)
	if err != nil {
		return nil, err
	}
	a, reason := tr.out.String(), tr.needBT
	if reason == "" {
		r.ascii, err = regexp.Compile(a)
		if err != nil {
			reason = err.Error()
		}
	}
	if reason == "" {
		reason = r.compileUnicode(expr, o)
	}
	if reason != "" {
		if err := r.compileBT(expr, reason, o); err != nil {
			return nil, err
		}
	} else if tr.dollar && r.bt == nil {
		// for the rare text with an inner newline, where (?m:$) and
		// Python's $ differ
		b, _, _ := translate(expr, targetBT, o.Multiline)
		if r.bt, err = regexp2.Compile(b, regexp2.None); err != nil {
			r.bt = nil
		} else {
			r.bt.MatchTimeout = o.Timeout
		}
	}
	r.dollar = tr.dollar
	r.names = namedGroups(expr)
	r.complex = newComplexNames(r.names)
	r.ids = newGroupIndex(r.names)
	r.asciiIdx = subexpIndex(r.ascii, r.names)
	if r.ascii != nil {
		r.host = newHostMatcher(expr, r.names, o.Multiline)
	}
	r.uniIdx = subexpIndex(r.uni, r.names)
	r.cutTails()
	r.asciiBT = newBTProg(r.ascii)
	if r.engine == EngineRegexp2 {
		if r.rw = newRewrite(expr, r.names, o.Multiline); r.rw != nil {
			r.reason += "; ASCII text on an exact RE2 rewrite"
		}
	}
	r.walks = r.asciiWalks()
	// An invalid byte in a text decodes as U+FFFD, so a literal holding
	// U+FFFD may match bytes that differ from its UTF-8 form: cut it off.
	r.literals = slices.DeleteFunc(requiredLiterals(expr, o.Multiline), hasRuneError)
	r.first = firstBytes(expr, o.Multiline)
	r.prefix = requiredPrefix(expr, o.Multiline)
	if i := strings.IndexRune(r.prefix, utf8.RuneError); i >= 0 {
		r.prefix = r.prefix[:i]
	}
	if r.first == nil && r.prefix != "" {
		// every match starts with the prefix, so with its first byte:
		// the filter's dispatch then skips the regex on other lines
		// (conditionals leave a pattern without a first-byte set)
		r.first = new(byteSet)
		r.first.add(r.prefix[0])
	}
	if r.prefix != "" {
		r.literals = slices.DeleteFunc(r.literals, func(l string) bool { return strings.Contains(r.prefix, l) })
	}
	return r, nil
}

// asciiWalks reports whether engineInto searches ASCII text by walks
// (seqmatch.go, btmatch.go) rather than Go's regexp.
func (r *Regex) asciiWalks() bool {
	switch {
	case r.ascii != nil && r.host != nil:
		return r.host.seq != nil || r.host.walk != nil
	case r.ascii != nil:
		return r.asciiBT != nil
	case r.rw != nil:
		for _, a := range r.rw.alts {
			if a.walk == nil {
				return false
			}
		}
		return true
	}
	return false
}

func hasRuneError(s string) bool { return strings.ContainsRune(s, utf8.RuneError) }

// compileUnicode builds the any-text RE2 form; a non-empty result means
// only regexp2 can handle non-ASCII text (the ASCII form stays RE2).
func (r *Regex) compileUnicode(expr string, o RegexOptions) string {
	u, reason, err := translate(expr, targetUnicode, o.Multiline)
	if err != nil {
		return err.Error()
	}
	if reason == "" {
		if r.uni, err = regexp.Compile(u); err == nil {
			return ""
		}
		reason = err.Error()
	}
	b, _, err := translate(expr, targetBT, o.Multiline)
	if err == nil {
		r.bt, err = regexp2.Compile(b, regexp2.None)
	}
	if err != nil {
		r.ascii = nil
		return reason
	}
	r.bt.MatchTimeout = o.Timeout
	r.reason = reason + " (non-ASCII text only)"
	return ""
}

func (r *Regex) compileBT(expr, reason string, o RegexOptions) error {
	b, _, err := translate(expr, targetBT, o.Multiline)
	if err != nil {
		return err
	}
	r.bt, err = regexp2.Compile(b, regexp2.None)
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	r.bt.MatchTimeout = o.Timeout
	r.ascii, r.uni = nil, nil
	r.engine, r.reason = EngineRegexp2, reason
	return nil
}

// cutTails swaps the RE2 forms for their cut-tail versions (tail.go)
// where they end in a ".+" group; group numbers do not change.
func (r *Regex) cutTails() {
	if r.ascii != nil {
		if re, g := cutTail(r.ascii.String()); re != nil && re.NumSubexp() == r.ascii.NumSubexp() {
			r.ascii, r.asciiTail = re, g
		}
	}
	if r.uni != nil {
		if re, g := cutTail(r.uni.String()); re != nil && re.NumSubexp() == r.uni.NumSubexp() {
			r.uni, r.uniTail = re, g
		}
	}
}

func subexpIndex(re *regexp.Regexp, names []string) []int {
	if re == nil {
		return nil
	}
	idx := make([]int, len(names))
	for k, n := range names {
		idx[k] = re.SubexpIndex(n)
	}
	return idx
}

// namedGroups lists the (?P<name> groups of a Python pattern in order.
func namedGroups(expr string) []string {
	tr := &translator{src: expr, t: targetRelaxed}
	tr.run()
	var names []string
	for _, g := range tr.groups {
		if g != "" {
			names = append(names, g)
		}
	}
	return names
}

// Expr returns the Python pattern as compiled.
func (r *Regex) Expr() string { return r.expr }

// Engine reports the engine used for ASCII text (the common case).
func (r *Regex) Engine() Engine { return r.engine }

// EngineReason says why regexp2 was needed ("" for pure RE2).
func (r *Regex) EngineReason() string { return r.reason }

// Names returns the named groups in pattern order.
func (r *Regex) Names() []string { return r.names }

// Literal returns a substring every match must contain ("" if none).
func (r *Regex) Literal() string {
	if len(r.literals) == 0 {
		return ""
	}
	return r.literals[0]
}

// Prefix returns the text every match starts with at offset 0 ("" if the
// pattern is not anchored there).
func (r *Regex) Prefix() string { return r.prefix }

// Timeouts counts searches cut off by the match timeout.
func (r *Regex) Timeouts() int64 { return r.timeouts.Load() }

func (r *Regex) String() string { return r.expr }

// Search finds the leftmost match in text (Python re.search). A timed-out
// search returns nil and an error wrapping ErrMatchTimeout.
func (r *Regex) Search(text string) (*Match, error) {
	if !r.mayMatch(text) {
		return nil, nil
	}
	return r.engineSearch(text)
}

// engineSearch runs the regex engine without prefilters.
func (r *Regex) engineSearch(text string) (*Match, error) {
	return r.engineInto(text, nil)
}

// searchInto is Search filling dst (when the RE2 engine runs) instead of
// allocating a Match; the filter's hot path reuses one per regex role.
func (r *Regex) searchInto(text string, dst *Match) (*Match, error) {
	if !r.mayMatch(text) {
		return nil, nil
	}
	return r.engineInto(text, dst)
}

func (r *Regex) engineInto(text string, dst *Match) (*Match, error) {
	return r.engineOn(text, isASCII(text), dst)
}

// engineOn is engineInto for a text whose isASCII the caller knows
// (the failregexes of a line all search the same text).
func (r *Regex) engineOn(text string, ascii bool, dst *Match) (*Match, error) {
	// oneLine: text is known to hold no "\n" before its last byte
	oneLine := false
	if r.dollar && r.bt != nil {
		if innerNewline(text) {
			return r.btSearch(text, ascii)
		}
		oneLine = true
	}
	switch {
	case ascii && r.ascii != nil:
		if m, ok := r.hostSearch(text, dst); ok {
			return m, nil
		}
		if m, ok := r.walkSearch(text, dst, oneLine); ok {
			return m, nil
		}
		return r.goSearch(r.ascii, r.asciiIdx, r.asciiTail, text, dst, oneLine), nil
	case !ascii && r.uni != nil:
		return r.goSearch(r.uni, r.uniIdx, r.uniTail, text, dst, oneLine), nil
	case ascii && r.rw != nil && !r.noPrefilter:
		if m, ok := r.rewriteSearch(text, dst); ok {
			return m, nil
		}
	}
	return r.btSearch(text, ascii)
}

// rewriteSearch searches ASCII text with the RE2 rewrite; ok false means
// regexp2 must decide (a dropped lookahead failed on RE2's path).
func (r *Regex) rewriteSearch(text string, dst *Match) (m *Match, ok bool) {
	buf := dst.locBuf()
	loc, done := r.rw.search(text, buf, dst.scratch())
	if !done || loc == nil {
		return nil, done
	}
	return r.found(dst, text, loc, r.rw.idx), true
}

// hostSearch searches ASCII text with the host matcher; ok false means
// the full regex must decide (no matcher, reference path, or a run the
// tag does not accept whole).
func (r *Regex) hostSearch(text string, dst *Match) (m *Match, ok bool) {
	if r.host == nil || r.noPrefilter {
		return nil, false
	}
	buf := dst.locBuf()
	loc, done := r.host.search(text, buf, dst.scratch())
	if !done || loc == nil {
		return nil, done
	}
	return r.found(dst, text, loc, r.host.idx), true
}

// locBuf returns the offsets buffer the walks and the host matcher fill,
// kept in dst from search to search (nil for a nil dst).
func (dst *Match) locBuf() []int {
	if dst == nil {
		return nil
	}
	if dst.hostLoc == nil {
		dst.hostLoc = make([]int, 2*(seqMaxCap+1))
	}
	return dst.hostLoc
}

// scratch returns the walks' working memory kept in dst (nil for a nil
// dst: each walk then takes a fresh one).
func (dst *Match) scratch() *btScratch {
	if dst == nil {
		return nil
	}
	if dst.bt == nil {
		dst.bt = new(btScratch)
	}
	return dst.bt
}

// mayMatch runs the cheap prefilters: false means text cannot match.
func (r *Regex) mayMatch(text string) bool {
	if r.noPrefilter {
		return true
	}
	if r.first != nil && (text == "" || text[0] < utf8.RuneSelf && !r.first.has(text[0])) {
		return false
	}
	if r.prefix != "" && !strings.HasPrefix(text, r.prefix) {
		return false
	}
	for _, l := range r.literals {
		if !strings.Contains(text, l) {
			return false
		}
	}
	return true
}

// walkSearch runs the ASCII form's backtracking walk (btmatch.go); ok
// false means Go's regexp must answer (no walk, reference path, or the
// walk gave up). oneLine is as for extendTail.
func (r *Regex) walkSearch(text string, dst *Match, oneLine bool) (m *Match, ok bool) {
	if r.asciiBT == nil || r.noPrefilter {
		return nil, false
	}
	buf := dst.locBuf()
	loc, ok := r.asciiBT.find(text, buf, dst.scratch())
	if !ok || loc == nil {
		return nil, ok
	}
	if r.asciiTail > 0 {
		extendTail(text, loc, r.asciiTail, oneLine)
	}
	return r.found(dst, text, loc, r.asciiIdx), true
}

func (r *Regex) goSearch(re *regexp.Regexp, idx []int, tail int, text string, dst *Match, oneLine bool) *Match {
	loc := re.FindStringSubmatchIndex(text)
	if loc == nil {
		return nil
	}
	if tail > 0 {
		extendTail(text, loc, tail, oneLine)
	}
	return r.found(dst, text, loc, idx)
}

// found fills dst (a new Match when nil) with a match of r on text: loc
// its offsets, idx the subexpression of each of r's names. Field by field,
// keeping dst.hostLoc, which may back loc.
func (r *Regex) found(dst *Match, text string, loc, idx []int) *Match {
	if dst == nil {
		dst = new(Match)
	}
	dst.text, dst.loc, dst.idx, dst.names, dst.complex = text, loc, idx, r.names, r.complex
	return dst
}

// btFind runs the regexp2 search, and once more on a timeout: regexp2's
// deadline is wall-clock time, so it also expires when the goroutine
// merely waited for a CPU on a loaded machine, and a lost search is a lost
// failure. A search that waited finishes in microseconds on the second
// try; one that really backtracks without end times out again, at twice
// the cost.
func (r *Regex) btFind(text string) (*regexp2.Match, error) {
	m, err := r.bt.FindStringMatch(text)
	if err != nil {
		m, err = r.bt.FindStringMatch(text)
	}
	return m, err
}

func (r *Regex) btSearch(text string, ascii bool) (*Match, error) {
	m, err := r.btFind(text)
	if err != nil {
		r.timeouts.Add(1)
		return nil, fmt.Errorf("regex %q: %w", abbreviate(r.expr), ErrMatchTimeout)
	}
	if m == nil {
		return nil, nil
	}
	var off []int
	if !ascii {
		off = runeOffsets(text)
	}
	pos := func(i int) int {
		if off == nil {
			return i
		}
		return off[i]
	}
	loc := make([]int, 2+2*len(r.names))
	idx := make([]int, len(r.names))
	loc[0], loc[1] = pos(m.Index), pos(m.Index+m.Length)
	for k, n := range r.names {
		idx[k] = k + 1
		loc[2*k+2], loc[2*k+3] = -1, -1
		if g := m.GroupByName(n); g != nil && len(g.Captures) > 0 {
			loc[2*k+2], loc[2*k+3] = pos(g.Index), pos(g.Index+g.Length)
		}
	}
	return &Match{text: text, loc: loc, idx: idx, names: r.names, complex: r.complex}, nil
}

// runeOffsets maps rune index to byte offset (with one extra entry for the
// end of text).
func runeOffsets(s string) []int {
	off := make([]int, 0, len(s)+1)
	for i := range s {
		off = append(off, i)
	}
	return append(off, len(s))
}

// innerNewline reports a "\n" before the last byte of s.
func innerNewline(s string) bool {
	i := strings.IndexByte(s, '\n')
	return i >= 0 && i < len(s)-1
}

// isASCII runs on every searched text (twice per line behind a
// prefregex), so it ORs sixteen bytes per step and tests the high bits
// once at the end: logged lines are short and almost always ASCII, so
// stopping early at a non-ASCII byte would not pay. A text of eight
// bytes or more has its last eight read as one word as well, which
// covers the tail the loop leaves.
func isASCII(s string) bool {
	if len(s) < 8 {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				return false
			}
		}
		return true
	}
	acc := word64(s[len(s)-8:])
	for len(s) >= 16 {
		acc |= word64(s) | word64(s[8:])
		s = s[16:]
	}
	if len(s) >= 8 {
		acc |= word64(s)
	}
	return acc&0x8080808080808080 == 0
}

// word64 reads s's first eight bytes as one word (the compiler turns the
// shifts into one 64-bit load).
func word64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func abbreviate(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// Match is one successful search.
type Match struct {
	text  string
	loc   []int // Go-style submatch index pairs
	idx   []int // subexpression index of each name
	names []string
	// complex is the regex's alt_/tuple_ groups (nil if none).
	complex *complexNames
	// hostLoc backs loc for the host matcher's walk when the Match is
	// a reused per-filter buffer (no allocation per line).
	hostLoc []int
	// bt is the walks' working memory (btmatch.go) when the Match is
	// a reused per-filter buffer.
	bt *btScratch
}

// Start and End give the byte span of the whole match.
func (m *Match) Start() int { return m.loc[0] }

// End is the byte offset just after the match.
func (m *Match) End() int { return m.loc[1] }

// Group returns the text of a named group; ok is false when the group did
// not take part in the match (Python None) or does not exist.
func (m *Match) Group(name string) (string, bool) {
	for k, n := range m.names {
		if n == name {
			return m.groupAt(k)
		}
	}
	return "", false
}

// groupTook reports whether group k took part in the match.
func (m *Match) groupTook(k int) bool {
	i := m.idx[k]
	return i >= 0 && m.loc[2*i] >= 0
}

func (m *Match) groupAt(k int) (string, bool) {
	i := m.idx[k]
	if i < 0 || m.loc[2*i] < 0 {
		return "", false
	}
	return m.text[m.loc[2*i]:m.loc[2*i+1]], true
}

// Names lists the named groups of the pattern.
func (m *Match) Names() []string { return m.names }
