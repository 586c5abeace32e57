package datedetect

import (
	"strings"
	"unicode/utf8"
)

// Hand-written matchers for the bodies of the two most common default
// templates (ISO 8601 and syslog), in their line-anchored forms
// (`{^LN-BEG}` and `^{DATE}`). They return exactly what Go's regexp returns
// for the relaxed regex (FuzzHandMatch checks that); the word-end bound and
// the back-reference are then verified like any other fast match.

// handKind selects a hand-written body matcher.
type handKind uint8

const (
	handNone handKind = iota
	handISO
	handSyslog
)

// handFields are the capture names of each body, in Python group order
// after the wrapping group 1.
var handFields = [...][]string{
	handNone:   nil,
	handISO:    {"Y", "_sep", "m", "d", "H", "M", "S", "f", "z"},
	handSyslog: {"a", "b", "d", "H", "M", "S", "f", "Y"},
}

// handFor recognises a template built from default template 1 or 2,
// anchored with {^LN-BEG} (lineBegin) or a plain ^.
func handFor(pattern string) (kind handKind, lineBegin bool) {
	p := pattern
	if q, ok := strings.CutPrefix(p, "{^LN-BEG}"); ok {
		p, lineBegin = q, true
	} else if q, ok := strings.CutPrefix(p, "^"); ok {
		p = q
	} else {
		return handNone, false
	}
	switch p {
	case defaultPatterns[0]:
		return handISO, lineBegin
	case defaultPatterns[1]:
		return handSyslog, lineBegin
	}
	return handNone, false
}

// span is one capture; s < 0 means unset.
type span struct{ s, e int }

// handState holds the captures of one attempt.
type handState struct {
	str  string
	caps [10]span // body fields, then the back-reference for ISO
	// canon reports that the canonical layout (handfast.go) matched at
	// the first place tried: the captures up to the end of the seconds
	// then depend on the bytes before that end alone (secondsMemo).
	canon bool
}

// handSec and handConv index handState.caps: the seconds field, and the
// group after it that the conversion reads (the zone, the year).
var (
	handSec  = [...]int{handISO: 6, handSyslog: 5}
	handConv = [...]int{handISO: 8, handSyslog: 7}
)

// ndAt returns the end of one Unicode decimal digit at i, or -1.
func ndAt(s string, i int) int {
	if i >= len(s) {
		return -1
	}
	if c := s[i]; c < utf8.RuneSelf {
		if c >= '0' && c <= '9' {
			return i + 1
		}
		return -1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	if _, ok := digitValue(r); ok {
		return i + w
	}
	return -1
}

func inRange(s string, i int, lo, hi byte) bool {
	return i < len(s) && s[i] >= lo && s[i] <= hi
}

// cands lists candidate ends of one element in priority order.
type cands struct {
	n int
	e [4]int
}

func (c *cands) add(e int) {
	if e >= 0 {
		c.e[c.n] = e
		c.n++
	}
}

// Candidate generators, one per regex fragment.

func candMonthNum(s string, i int) (c cands) { // 0?[1-9]|1[0-2]
	if i < len(s) && s[i] == '0' && inRange(s, i+1, '1', '9') {
		c.add(i + 2)
	}
	if inRange(s, i, '1', '9') {
		c.add(i + 1)
	}
	if i < len(s) && s[i] == '1' && inRange(s, i+1, '0', '2') {
		c.add(i + 2)
	}
	return c
}

func candDay(s string, i int) (c cands) { // [1-2]\d|[0 ]?[1-9]|3[0-1]
	if inRange(s, i, '1', '2') {
		c.add(ndAt(s, i+1))
	}
	if i < len(s) && (s[i] == '0' || s[i] == ' ') && inRange(s, i+1, '1', '9') {
		c.add(i + 2)
	}
	if inRange(s, i, '1', '9') {
		c.add(i + 1)
	}
	if i < len(s) && s[i] == '3' && inRange(s, i+1, '0', '1') {
		c.add(i + 2)
	}
	return c
}

func candOptDigit(s string, i int, lo, hi byte) (c cands) { // [lo-hi]?\d
	if inRange(s, i, lo, hi) {
		c.add(ndAt(s, i+1))
	}
	c.add(ndAt(s, i))
	return c
}

func candHour24(s string, i int) cands { // [0-1]?\d|2[0-3]
	c := candOptDigit(s, i, '0', '1')
	if i < len(s) && s[i] == '2' && inRange(s, i+1, '0', '3') {
		c.add(i + 2)
	}
	return c
}

func candSecond(s string, i int) cands { // [0-5]?\d|6[0-1]
	c := candOptDigit(s, i, '0', '5')
	if i < len(s) && s[i] == '6' && inRange(s, i+1, '0', '1') {
		c.add(i + 2)
	}
	return c
}

// year matches 20[012]\d (the %ExY of this decade) and returns its end.
func (m *matcher) year(s string, i int) int {
	if i+3 > len(s) || s[i] != '2' || s[i+1] != '0' || m.handCentSet&(1<<(s[i+2]&63)) == 0 || s[i+2] < '0' || s[i+2] > '9' {
		return -1
	}
	return ndAt(s, i+3)
}

// fracTail matches (?:[.,](?P<f>[0-9]{1,6}))? greedily ([.] without comma).
func fracTail(s string, i int, comma bool) (int, span) {
	if i < len(s) && (s[i] == '.' || s[i] == ',' && comma) && inRange(s, i+1, '0', '9') {
		j := i + 1
		for j < len(s) && j < i+7 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j, span{i + 1, j}
	}
	return i, span{-1, -1}
}

var (
	handDays   = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	handMonths = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)

// foldName matches a month (handMonths) or day (handDays) abbreviation at
// i case-insensitively as Go's (?i) does (which also folds U+017F into s)
// and returns its end.
func foldName(s string, i int, months bool) int {
	if e, ok := foldName3(s, i, months); ok {
		return e
	}
	names := handDays
	if months {
		names = handMonths
	}
	for _, n := range names {
		j, ok := i, true
		for k := 0; k < len(n) && ok; k++ {
			switch {
			case j < len(s) && s[j]|0x20 == n[k] && s[j] >= 'A':
				j++
			case n[k] == 's' && strings.HasPrefix(s[j:], "\u017f"):
				j += 2
			default:
				ok = false
			}
		}
		if ok {
			return j
		}
	}
	return -1
}

func isDateSep(c byte) bool { return c == '-' || c == '/' || c == '.' }

func byteAt(s string, i int, c byte) bool { return i < len(s) && s[i] == c }

// matchISO matches the body of default template 1 at i.
func (m *matcher) matchISO(s string, i int, st *handState) int {
	if q := m.matchISOCanonical(s, i, st); q >= 0 {
		st.canon = true
		return isoTail(s, q, st)
	}
	y := m.year(s, i)
	if y < 0 || y >= len(s) || !isDateSep(s[y]) {
		return -1
	}
	st.caps[0], st.caps[1] = span{i, y}, span{y, y + 1}
	j := y + 1
	cm := candMonthNum(s, j)
	for _, e := range cm.e[:cm.n] {
		if e >= len(s) || !isDateSep(s[e]) {
			continue
		}
		st.caps[2], st.caps[9] = span{j, e}, span{e, e + 1}
		if q := m.isoFromDay(s, e+1, st); q >= 0 {
			return q
		}
	}
	return -1
}

func (m *matcher) isoFromDay(s string, k int, st *handState) int {
	cd := candDay(s, k)
	for _, b := range cd.e[:cd.n] {
		st.caps[3] = span{k, b}
		var ct cands
		if byteAt(s, b, 'T') {
			ct.add(b + 1)
		}
		if byteAt(s, b, ' ') && byteAt(s, b+1, ' ') {
			ct.add(b + 2)
		}
		if byteAt(s, b, ' ') {
			ct.add(b + 1)
		}
		for _, t := range ct.e[:ct.n] {
			if q := hmsFrom(s, t, candHour24(s, t), st.caps[4:7]); q >= 0 {
				return isoTail(s, q, st)
			}
		}
	}
	return -1
}

// isoTail matches the optional fraction and zone after the seconds.
func isoTail(s string, q int, st *handState) int {
	q, st.caps[7] = fracTail(s, q, true)
	return zoneTail(s, q, &st.caps[8])
}

// tail matches what follows the seconds field at q: the fraction and the
// zone (ISO) or year (syslog).
func (m *matcher) tail(s string, q int, st *handState) int {
	if m.hand == handISO {
		return isoTail(s, q, st)
	}
	return m.syslogTail(s, q, st)
}

// hmsFrom matches H (candidates ch) then :M:S and stores H, M, S spans
// starting at caps[0].
func hmsFrom(s string, t int, ch cands, hc []span) int {
	for _, h := range ch.e[:ch.n] {
		if !byteAt(s, h, ':') {
			continue
		}
		cM := candOptDigit(s, h+1, '0', '5')
		for _, mm := range cM.e[:cM.n] {
			if !byteAt(s, mm, ':') {
				continue
			}
			if cS := candSecond(s, mm+1); cS.n > 0 {
				hc[0], hc[1], hc[2] = span{t, h}, span{h + 1, mm}, span{mm + 1, cS.e[0]}
				return cS.e[0]
			}
		}
	}
	return -1
}

// zoneTail matches (?:\s*(?P<z>Z|UTC|GMT|[+-][01]\d(?::?\d{2})?))?.
func zoneTail(s string, q int, z *span) int {
	*z = span{-1, -1}
	j := q
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if !asciiPySpace(c) {
				break
			}
			j++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[j:])
		if !isPySpace(r) {
			break
		}
		j += w
	}
	if j == len(s) || s[j] != 'Z' && s[j] != 'U' && s[j] != 'G' && s[j] != '+' && s[j] != '-' {
		return q // the common case: no zone
	}
	end := -1
	switch {
	case s[j] == 'Z':
		end = j + 1
	case strings.HasPrefix(s[j:], "UTC"), strings.HasPrefix(s[j:], "GMT"):
		end = j + 3
	case j < len(s) && (s[j] == '+' || s[j] == '-') && inRange(s, j+1, '0', '1'):
		if k := ndAt(s, j+2); k >= 0 {
			end = k
			if byteAt(s, k, ':') && ndAt(s, k+1) >= 0 && ndAt(s, ndAt(s, k+1)) >= 0 {
				end = ndAt(s, ndAt(s, k+1))
			} else if ndAt(s, k) >= 0 && ndAt(s, ndAt(s, k)) >= 0 {
				end = ndAt(s, ndAt(s, k))
			}
		}
	}
	if end < 0 {
		return q
	}
	*z = span{j, end}
	return end
}

// matchSyslog matches the body of default template 2 at i.
func (m *matcher) matchSyslog(s string, i int, st *handState) int {
	var ca cands
	if e := foldName(s, i, false); e >= 0 && byteAt(s, e, ' ') {
		ca.add(e + 1)
	}
	ca.add(i)
	for n, j := range ca.e[:ca.n] {
		st.caps[0] = span{-1, -1}
		if j != i {
			st.caps[0] = span{i, j - 1}
		}
		e := foldName(s, j, true)
		if e < 0 || !byteAt(s, e, ' ') {
			continue
		}
		st.caps[1] = span{j, e}
		if q := m.syslogFromDay(s, e+1, st); q >= 0 {
			st.canon = st.canon && n == 0
			return q
		}
	}
	return -1
}

func (m *matcher) syslogFromDay(s string, k int, st *handState) int {
	if q := syslogCanonical(s, k, st); q >= 0 {
		st.canon = true
		return m.syslogTail(s, q, st)
	}
	cd := candDay(s, k)
	for _, d := range cd.e[:cd.n] {
		if !byteAt(s, d, ' ') {
			continue
		}
		st.caps[2] = span{k, d}
		var ct cands
		if byteAt(s, d+1, ' ') {
			ct.add(d + 2)
		}
		ct.add(d + 1)
		for _, t := range ct.e[:ct.n] {
			if q := hmsFrom(s, t, candOptDigit(s, t, '0', '2'), st.caps[3:6]); q >= 0 {
				return m.syslogTail(s, q, st)
			}
		}
	}
	return -1
}

// syslogTail matches the optional fraction and year after the seconds.
func (m *matcher) syslogTail(s string, q int, st *handState) int {
	q, st.caps[6] = fracTail(s, q, false)
	st.caps[7] = span{-1, -1}
	if byteAt(s, q, ' ') {
		if y := m.year(s, q+1); y >= 0 {
			st.caps[7] = span{q + 1, y}
			q = y
		}
	}
	return q
}

// putSpans writes the first n captures as offset pairs; the fixed-size
// arrays spare a bounds check per store.
func putSpans(dst *[20]int, caps *[10]span, n int) {
	for i := range caps {
		if i == n {
			return
		}
		dst[2*i], dst[2*i+1] = caps[i].s, caps[i].e
	}
}

// handMatch runs the hand-written matcher on s (anchored at 0) and returns
// Python-numbered offsets, or ok=false when the relaxed regex would not
// match. verified is false when the bound or back-reference checks fail;
// canon is handState.canon.
func (m *matcher) handMatch(s string, buf *[32]int) (n int, ok, verified, canon bool) {
	var st handState
	start, q := m.handRun(s, &st)
	if q < 0 {
		return 0, false, false, false
	}
	n = 2 * (m.npy + 1)
	loc := buf[:n]
	loc[0], loc[1], loc[2], loc[3] = 0, q, start, q
	putSpans((*[2 * len(st.caps)]int)(buf[4:]), &st.caps, len(handFields[m.hand]))
	return n, true, m.handVerified(s, q, &st), st.canon
}

// handCap returns capture i of a handMatch result (the body fields follow
// the whole match and the wrapping group 1).
func handCap(loc []int, i int) span { return span{loc[4+2*i], loc[5+2*i]} }

// handRun matches the body at the start of s ({^LN-BEG} skips up to two
// non-word characters first) and returns where the body and the match
// end, or q = -1.
func (m *matcher) handRun(s string, st *handState) (start, q int) {
	if m.handLB {
		for k := 0; k < 2 && start < len(s); k++ {
			r, w := rune(s[start]), 1
			if r >= utf8.RuneSelf {
				r, w = utf8.DecodeRuneInString(s[start:])
			}
			if isWord(r) {
				break
			}
			start += w
		}
	}
	if m.hand == handISO {
		return start, m.matchISO(s, start, st)
	}
	return start, m.matchSyslog(s, start, st)
}

// handVerified runs the checks the relaxed regex leaves out: the word-end
// bound after the match and, for ISO, the back-reference of the second
// date separator.
func (m *matcher) handVerified(s string, q int, st *handState) bool {
	if m.hand == handISO && s[st.caps[1].s] != s[st.caps[9].s] {
		return false
	}
	return notInWord(s, q)
}
