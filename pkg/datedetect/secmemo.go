package datedetect

import (
	"time"
	"unicode/utf8"
)

// secondsMemo lets Find skip the matcher and the minute conversion for a
// line that repeats the previous line's date up to its seconds, the common
// case of a log whose last winner is an anchored ISO or syslog template.
//
// It holds when the hand matcher decided the previous line in the
// canonical layout at the first place it tried (handState.canon): every
// byte it read up to the end of the seconds field was then before that
// end, so a line with the same bytes before the seconds and two seconds
// digits the layout accepts ([0-5][0-9]) takes the same path to the same
// captures. What follows the seconds (fraction, zone or year, word bound)
// is matched again on each line. The conversion of those captures is the
// previous line's minuteBase when the zone or year text and the local day
// of now are the same too, as for convCache; only the seconds and the
// now-relative steps (minuteBase.secondsAt) run per line.
//
// Statistics and template order change as the full path changes them for
// an anchored last winner that matches again (matchTime: no list scan).
// Nothing of this depends on the lines in between, so the memo applies
// whenever its template is the last winner; the next line the hand
// matcher decides in the canonical layout replaces it.
type secondsMemo struct {
	e      *entry   // the template; nil: no memo
	prefix [32]byte // the line before the seconds field
	sec    int      // len of the prefix: offset of the seconds digits
	start  int      // byte offset of the date (after {^LN-BEG}'s skip)
	conv   [8]byte  // the zone or year text after the seconds
	nconv  int      // its length; -1 when the group did not match
	ascii  bool     // the prefix is ASCII (rune offsets are byte offsets)
	day    int64    // local day of now base was resolved on
	base   minuteBase
}

// remember records the memo after the full path matched line with e, the
// hand matcher deciding it in the canonical layout (hit.canon) with the
// captures loc, and converted it with base on the local day of now day.
func (r *secondsMemo) remember(e *entry, line string, loc []int, day int64, base minuteBase) {
	r.e = nil
	m := e.t.m
	if e.t.kind != kindStrptime || !e.t.anchored() || m == nil || m.hand == handNone {
		return
	}
	k, c := handCap(loc, handSec[m.hand]).s, handCap(loc, handConv[m.hand])
	if k < 0 || k > len(r.prefix) || c.e-c.s > len(r.conv) {
		return
	}
	r.sec, r.start = copy(r.prefix[:], line[:k]), loc[2]
	r.ascii = isASCII(line[:k])
	r.nconv = -1
	if c.s >= 0 {
		r.nconv = copy(r.conv[:], line[c.s:c.e])
	}
	r.e, r.day, r.base = e, day, base
}

// findRemembered returns the match of line when the memo covers it.
func (d *Detector) findRemembered(line string) (Match, bool) {
	r := &d.memo
	e, i := r.e, d.lastIdx
	if e == nil || i >= len(d.order) || d.order[i] != e {
		return Match{}, false
	}
	k := r.sec
	if len(line) < k+2 || line[:k] != string(r.prefix[:k]) ||
		line[k] < '0' || line[k] > '5' || !isDigit(line[k+1]) {
		return Match{}, false
	}
	q, conv := k+2, span{-1, -1}
	if e.t.m.hand != handISO || !isoPlain(line, q) {
		var st handState
		q = e.t.m.tail(line, q, &st)
		conv = st.caps[handConv[e.t.m.hand]]
	}
	if !r.sameConv(line, conv) || !notInWord(line, q) {
		return Match{}, false
	}
	now, day := d.clk.naiveNow()
	if day != r.day {
		return Match{}, false
	}
	d.memoHits++
	e.rawHits++ // as matchDate counts it
	end := q    // rune offset of the end
	if !r.ascii || !isASCII(line[k:q]) {
		end = runeIndex(line, q)
	}
	d.won(e, i, line, 0, end, q)
	m := Match{Template: e.idx, Start: r.start, End: q}
	if sec, ok := r.base.secondsAt(int(line[k]-'0')*10+int(line[k+1]-'0'), &d.clk, now); ok {
		m.Seconds, m.Time = float64(sec), time.Unix(sec, 0)
	}
	return m, true
}

// isoPlain reports that the ISO tail at q (isoTail) takes nothing: no
// fraction there, and no zone after the (ASCII) spaces that follow, the
// common case of a date followed by the message. False means isoTail
// must decide.
func isoPlain(s string, q int) bool {
	if q < len(s) && (s[q] == '.' || s[q] == ',') {
		return false
	}
	j := q
	for j < len(s) && asciiPySpace(s[j]) {
		j++
	}
	if j == len(s) {
		return true
	}
	c := s[j]
	return c < utf8.RuneSelf && c != 'Z' && c != 'U' && c != 'G' && c != '+' && c != '-'
}

// sameConv reports whether the zone or year group c of line agrees with
// the memo's: unset in both, or the same text.
func (r *secondsMemo) sameConv(line string, c span) bool {
	if c.s < 0 {
		return r.nconv < 0
	}
	return r.nconv >= 0 && line[c.s:c.e] == string(r.conv[:r.nconv])
}

// isASCII reports whether s has no byte >= 0x80, eight bytes at a time.
func isASCII(s string) bool {
	const high = 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if load64(s, i)&high != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
