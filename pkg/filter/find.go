package filter

import (
	"math/bits"
	"slices"
	"sort"

	"github.com/f2b/f2b/pkg/pyval"
	"github.com/f2b/f2b/pkg/tags"
)

// find is fail2ban's findFailure: buffer, early ignoreregex, prefregex,
// then the failregexes in order.
func (f *Filter) find(tl line, noDate bool, res *Result) {
	f.findWith(tl, noDate, res, nil)
}

// findWith is find with the searches of a pipeline worker (h, see
// pipeline.go) standing in for the prefregex search and the failregex
// searches up to the first match; nil h searches everything here.
func (f *Filter) findWith(tl line, noDate bool, res *Result, h *hint) {
	if h == nil && f.useFused() && f.fusedFind(tl, noDate, res) {
		return
	}
	if h != nil && f.pref != nil {
		res.PrefChecked, res.PrefMatched = true, h.preOK
	}
	if f.o.MaxLines > 1 {
		f.buf = append(f.buf, tl)
		if n := len(f.buf) - f.o.MaxLines; n > 0 {
			f.buf = append(f.buf[:0:0], f.buf[n:]...)
		}
	} else {
		f.one[0] = tl
		f.buf = f.one[:]
	}
	org := f.buf
	text := f.joinScratch(org)
	if len(f.ignore) > 0 && len(f.ignore) < len(f.fail)-2 {
		if f.ignored(text, res) {
			return
		}
	}
	pre, ok := f.prefilter(text, res, h)
	if !ok {
		return
	}
	if pre != nil {
		f.cutContent(pre, org)
		if c, _ := pre.Group("content"); c != "" {
			text = f.contentText(c)
		}
	}
	f.failRegexes(text, org, pre, noDate, res, h)
}

// cutContent replaces the buffer by the prefregex content line. With a
// single line the content is kept as a piece of the line itself (no
// copy); a multi-line buffer outlives this line, so it gets its own copy.
func (f *Filter) cutContent(pre *Match, org []line) {
	k := slices.Index(pre.names, "content")
	c, ok := pre.groupAt(k)
	if k < 0 || !ok || c == "" {
		return
	}
	i := pre.idx[k]
	switch {
	case f.slow:
		f.buf = []line{{post: c}}
	case len(org) == 1 && f.o.MaxLines <= 1:
		f.sc.two[0] = f.contentLine(org[0], pre.loc[2*i], pre.loc[2*i+1], c)
		f.buf = f.sc.two[:]
	default:
		f.buf = []line{{post: f.owned(c)}}
	}
}

// matchBuf returns the reusable Match, or nil (allocate) on the
// reference path.
func (f *Filter) matchBuf(m *Match) *Match {
	if f.slow {
		return nil
	}
	return m
}

// addHit appends i to hits; the first hit is a slice of the filter's
// shared index table (callers only read Hits; appending copies).
func (f *Filter) addHit(hits []int, i int) []int {
	if hits != nil || f.slow {
		return append(hits, i)
	}
	if len(f.hitIdx) != len(f.fail) {
		f.hitIdx = make([]int, len(f.fail))
		for k := range f.hitIdx {
			f.hitIdx[k] = k
		}
	}
	return f.hitIdx[i : i+1 : i+1]
}

// noteErr records a timed-out search. It is logged at debug level on the
// 1st, 2nd, 4th, 8th … timeout of a regex, so a flood of pathological
// lines cannot flood the log.
func (f *Filter) noteErr(r *Regex, err error, res *Result) {
	if err == nil {
		return
	}
	res.Errors = append(res.Errors, err)
	if n := r.Timeouts(); n&(n-1) == 0 {
		f.log.Debug("regex search abandoned, line counted as not matched", "err", err, "timeouts", n)
	}
}

func (f *Filter) prefilter(text string, res *Result, h *hint) (*Match, bool) {
	if f.pref == nil {
		return nil, true
	}
	var m *Match
	var err error
	if h != nil {
		err = h.preErr
		if h.preOK {
			m = h.pre.into(&f.sc.pre, text)
		}
	} else {
		m, err = f.pref.searchInto(text, f.matchBuf(&f.sc.pre))
	}
	f.noteErr(f.pref, err, res)
	res.PrefChecked, res.PrefMatched = true, m != nil
	if m == nil {
		return nil, false
	}
	return m, true
}

// ignored searches every ignoreregex in text; the first hit wins.
func (f *Filter) ignored(text string, res *Result) bool {
	for i, r := range f.ignore {
		m, err := r.Search(text)
		f.noteErr(r, err, res)
		if m != nil {
			res.Ignored, res.IgnoreIndex = true, i
			return true
		}
	}
	return false
}

func (f *Filter) failRegexes(text string, org []line, pre *Match, noDate bool, res *Result, h *hint) {
	dirty := false
	cand := f.candidates(text)
	ascii := isASCII(text)
	for i := 0; i < len(f.fail); i++ {
		if dirty {
			text, dirty = joinText(f.buf), false
			cand, ascii = f.candidates(text), isASCII(text)
		}
		if i < maxDispatch {
			// skip what the first byte rules out (a pipeline
			// worker, on the same text, skipped it too)
			rest := cand >> i
			if rest == 0 {
				i = maxDispatch - 1
				continue
			}
			if i += bits.TrailingZeros64(rest); i >= len(f.fail) {
				break
			}
		}
		r := f.fail[i]
		var m *Match
		var err error
		if h != nil && i <= h.first {
			// the worker searched this text: nothing before first
			// matched, and nothing changed the text before first
			err = h.failErr(i)
			if i == h.first {
				m = h.fail.into(&f.sc.fail, text)
			}
		} else {
			m, err = f.failSearch(i, text, ascii)
		}
		f.noteErr(r, err, res)
		if m == nil {
			continue
		}
		res.Hits = f.addHit(res.Hits, i)
		matched, unmatched := splitLines(text, m, org)
		if len(f.ignore) > 0 && f.lateIgnore(text, matched, unmatched, res) {
			dirty = true
			if !f.o.CheckAll {
				return
			}
			continue
		}
		if noDate && res.Time.IsZero() && !f.o.CheckAll {
			continue
		}
		if !f.o.CheckAll || f.o.MaxLines > 1 {
			f.consume(org, unmatched, res)
			dirty = true
		}
		pb, fb := f.ownBases(org, pre)
		f.ownIn(pre, pb)
		f.ownIn(m, fb)
		if !f.reportMatch(i, pre, m, matched, res) && !f.reportForgotten(i, pre, m, res) {
			f.report(i, f.merge(i, pre, m), matched, res)
		}
		if !f.o.CheckAll {
			return
		}
	}
}

// lateIgnore applies the ignoreregexes after a failregex match: to the
// same text single-line, to the matched lines only with maxlines > 1.
func (f *Filter) lateIgnore(text string, matched, unmatched []line, res *Result) bool {
	if f.o.MaxLines > 1 {
		text = joinText(matched)
	}
	if !f.ignored(text, res) {
		return false
	}
	if !f.o.CheckAll || f.o.MaxLines > 1 {
		f.buf = unmatched
	}
	return true
}

// consume drops matched lines from the buffer, remembering them for the
// tester's statistics.
func (f *Filter) consume(org, unmatched []line, res *Result) {
	if f.o.MaxLines > 1 {
		for _, l := range org {
			if !containsLine(unmatched, l) {
				res.Lines = append(res.Lines, l.orig())
			}
		}
	}
	f.buf = unmatched
}

func containsLine(ls []line, l line) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

// groups returns the named groups that took part in the match, with
// fail2ban's alt_/tuple_ merging.
func groups(m *Match) map[string]string {
	g := make(map[string]string, len(m.names))
	for k, n := range m.names {
		if v, ok := m.groupAt(k); ok {
			g[n] = v
		}
	}
	if m.complex != nil {
		mergeAlt(g, m.complex)
	}
	return g
}

// merge is mergeGroups as a list, built in the filter's scratch list
// (valid until the next merge): straight from the matches when neither
// has alt_/tuple_ groups (the reference path keeps mergeGroups).
func (f *Filter) merge(idx int, pre, m *Match) tags.List {
	var g tags.List
	switch src, simple := f.matchGroups(idx, pre, m); {
	case simple:
		g = src.appendMerged(f.groups[:0])
	case !f.slow && onlyAlts(pre, m):
		g = mergeAlts(f.groups[:0], pre, m)
	default:
		g = tags.AppendMap(f.groups[:0], mergeGroups(pre, m))
	}
	f.groups = g[:0]
	return g
}

// mergeGroups builds the failure data: the prefregex groups (without content)
// overlaid with the failregex groups; a failregex group that did not take
// part removes the prefregex value (Python's dict.update with None).
func mergeGroups(pre, m *Match) map[string]string {
	if pre == nil {
		return groups(m)
	}
	out := groups(pre)
	delete(out, "content")
	if m.complex != nil {
		g := groups(m)
		for _, n := range m.names {
			delete(out, n)
		}
		for k, v := range g {
			out[k] = v
		}
		return out
	}
	for k, n := range m.names {
		if v, ok := m.groupAt(k); ok {
			out[n] = v
		} else {
			delete(out, n)
		}
	}
	return out
}

// onlyAlts reports whether mergeAlts applies: the failregex has alt_
// groups but no tuple_ groups, and the prefregex (if any) neither.
func onlyAlts(pre, m *Match) bool {
	return m.complex != nil && len(m.complex.tuples) == 0 && (pre == nil || pre.complex == nil)
}

// mergeAlts is mergeGroups for onlyAlts matches, as a list appended to
// dst (unsorted, as merge's simple case): sshd's pam line, with its
// alt_user, spent thousands of instructions building and filling maps.
// The failregex's groups, after mergeAlt's rule (an empty or missing X
// takes the first non-empty alt_X, in alt_ name order), replace the
// prefregex's groups of the same names.
func mergeAlts(dst tags.List, pre, m *Match) tags.List {
	n := len(dst)
	if pre != nil {
		dst = pre.appendGroups(dst, true, m.names)
	}
	k := len(dst)
	dst = m.appendGroups(dst, false, nil)
	for _, p := range m.complex.alts {
		own := dst[k:]
		if v, _ := own.Get(p[0]); v != "" {
			if t, _ := own.Get(p[1]); t == "" {
				dst = append(dst[:k], own.Set(p[1], v)...)
			}
		}
	}
	// a target the failregex does not name may shadow a prefregex group
	w := n
	for _, t := range dst[n:k] {
		if !slices.ContainsFunc(dst[k:], func(x tags.Tag) bool { return x.Name == t.Name }) {
			dst[w] = t
			w++
		}
	}
	return append(dst[:w], dst[k:]...)
}

// complexNames holds a regex's alt_X and tuple_X groups (fail2ban's
// _altValues/_tupleValues), each as {group, target} sorted by group name.
type complexNames struct{ alts, tuples [][2]string }

var complexNameRE = lazyRegexp(`^(alt_|tuple_)(.*?)(?:_\d+)?$`)

func newComplexNames(names []string) *complexNames {
	var c complexNames
	for _, n := range names {
		if m := complexNameRE().FindStringSubmatch(n); m != nil && len(n) > 4 {
			pair := [2]string{n, tagOpt(m[2])}
			if m[1] == "alt_" {
				c.alts = append(c.alts, pair)
			} else {
				c.tuples = append(c.tuples, pair)
			}
		}
	}
	if c.alts == nil && c.tuples == nil {
		return nil
	}
	sortPairs(c.alts)
	sortPairs(c.tuples)
	return &c
}

// mergeAlt fills X from the first non-empty alt_X when X is empty, and
// turns X into a tuple with its tuple_X values.
func mergeAlt(g map[string]string, c *complexNames) {
	for _, p := range c.alts {
		if v := g[p[0]]; v != "" && g[p[1]] == "" {
			g[p[1]] = v
		}
	}
	if len(c.tuples) > 0 {
		mergeTuples(g, c.tuples)
	}
}

func sortPairs(p [][2]string) {
	sort.Slice(p, func(i, j int) bool { return p[i][0] < p[j][0] || (p[i][0] == p[j][0] && p[i][1] < p[j][1]) })
}

// mergeTuples renders X as the repr of the Python tuple (X, tuple_X…).
func mergeTuples(g map[string]string, tuples [][2]string) {
	acc := map[string]pyval.Tuple{}
	for _, p := range tuples {
		t, ok := acc[p[1]]
		if !ok {
			t = pyval.Tuple{optional(g, p[1])}
		}
		acc[p[1]] = append(t, optional(g, p[0]))
	}
	for k, t := range acc {
		g[k] = pyval.Repr(t)
	}
}

func optional(g map[string]string, k string) any {
	if v, ok := g[k]; ok {
		return v
	}
	return nil
}
