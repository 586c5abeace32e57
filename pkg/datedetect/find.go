package datedetect

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// hit is one template match: Python-numbered byte offsets (0 = whole).
// loc points into buf when the matcher could fill it without allocating.
type hit struct {
	ext   []int // offsets allocated by the matcher, or nil
	buf   [32]int
	n     int  // offsets in buf when ext is nil
	canon bool // the hand matcher's canonical layout (secondsMemo)
	start int  // rune offsets of the whole match
	end   int
}

func (h *hit) loc() []int {
	if h.ext != nil {
		return h.ext
	}
	return h.buf[:h.n]
}

func (h *hit) copyFrom(h2 *hit) { *h = *h2 }

// matchDate runs template t on line[pos:end] (byte offsets) into h.
func (d *Detector) matchDate(e *entry, line string, pos, end int, h *hit) bool {
	var ok bool
	switch {
	case e.t.special && e.t.kind == kindEpoch:
		var arr [4]int
		arr, ok = matchEpoch(line[:end], pos, e.t.flags&flagLineBegin != 0, e.t.longFrm)
		h.ext, h.n, h.canon = nil, copy(h.buf[:], arr[:]), false
	case e.t.special:
		var arr [4]int
		arr, ok = matchTAI64N(line[:end], pos, e.t.flags&flagLineBegin != 0)
		h.ext, h.n, h.canon = nil, copy(h.buf[:], arr[:]), false
	default:
		h.ext, h.n, ok, h.canon = e.t.m.match(line, pos, end, &h.buf)
	}
	if !ok {
		return false
	}
	e.rawHits++
	loc := h.loc()
	h.start = runeIndex(line, loc[0])
	h.end = runeIndex(line, loc[1])
	return true
}

// runeIndex converts a byte offset of s into Python's character offset.
// Dates are nearly always ASCII, which eight bytes at a time (the last
// word overlapping the one before) establish.
func runeIndex(s string, b int) int {
	const high = 0x8080808080808080
	if b >= 8 {
		ascii := load64(s, b-8)&high == 0
		for i := 0; ascii && i+8 < b; i += 8 {
			ascii = load64(s, i)&high == 0
		}
		if ascii {
			return b
		}
	}
	for i := 0; i < b; i++ {
		if s[i] >= utf8.RuneSelf {
			return i + utf8.RuneCountInString(s[i:b])
		}
	}
	return b
}

// load64 reads s[i:i+8] as one little-endian word (the compiler merges
// the byte loads).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// byteIndex converts a character offset into a byte offset (clamped).
func byteIndex(s string, r int) int {
	for i := 0; i < len(s) && i < r; i++ {
		if s[i] >= utf8.RuneSelf {
			n := i
			for j := range s[i:] {
				if n == r {
					return i + j
				}
				n++
			}
			return len(s)
		}
	}
	return min(r, len(s))
}

// charAt returns the character at rune offset r as a string ("" outside),
// with Python's negative-index rule for r == -1.
func charAt(s string, r int) string {
	if r < 0 {
		if s == "" {
			return ""
		}
		_, n := utf8.DecodeLastRuneInString(s)
		return s[len(s)-n:]
	}
	b := byteIndex(s, r)
	if b >= len(s) {
		return ""
	}
	_, n := utf8.DecodeRuneInString(s[b:])
	return s[b : b+n]
}

// charSlice is Python's line[r:r+1] (never negative-indexed: "" for r<0).
func charSlice(s string, r int) string {
	if r < 0 {
		return ""
	}
	return charAt(s, r)
}

func isAlnum(c string) bool {
	r, _ := utf8.DecodeRuneInString(c)
	return c != "" && (unicode.IsLetter(r) || unicode.IsNumber(r))
}

// Find returns the date of line, choosing the template as fail2ban's
// DateDetector.matchTime does. ok is false when no template matched.
func (d *Detector) Find(line string) (Match, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.nowT = d.now()
	d.clk.now = d.nowT
	if m, ok := d.findRemembered(line); ok {
		return m, true
	}
	e, h, ok := d.matchTime(line, &d.cur, &d.cand)
	if !ok {
		return Match{}, false
	}
	loc := h.loc()
	m := Match{Template: e.idx, Start: loc[0], End: loc[1]}
	if len(loc) > 2 {
		m.Start, m.End = loc[2], loc[3]
	}
	if m.Start < 0 {
		m.Start, m.End = loc[0], loc[0]
	}
	if m.End > m.Start {
		m.Seconds, m.Time = d.convert(e.t, line, loc)
		if h.canon {
			_, day := d.clk.naiveNow()
			d.memo.remember(e, line, loc, day, d.conv.base)
		}
	}
	return m, true
}

// convert computes the timestamp of a match (zero if fail2ban gets none).
func (d *Detector) convert(t *template, line string, loc []int) (float64, time.Time) {
	switch t.kind {
	case kindEpoch:
		return epochSeconds(line, loc, t)
	case kindTAI64N:
		v, err := strconv.ParseInt(line[loc[2]+2:loc[2]+17], 16, 64)
		if err != nil {
			return 0, time.Time{}
		}
		return float64(v), time.Unix(v, 0)
	}
	now, day := d.clk.naiveNow()
	if !d.conv.lookup(t, line, loc, day) {
		d.conv.store(t, line, loc, day, minuteOf(line, loc, t.m, &d.clk, day))
	}
	sec, ok := d.conv.base.seconds(line, loc, t.m, &d.clk, now)
	if !ok {
		return 0, time.Time{}
	}
	return float64(sec), time.Unix(sec, 0)
}

func epochSeconds(line string, loc []int, t *template) (float64, time.Time) {
	g := t.grpIdx
	if 2*g+1 >= len(loc) || loc[2*g] < 0 {
		return 0, time.Time{}
	}
	num := line[loc[2*g]:loc[2*g+1]]
	if !asciiNumber(num) {
		var buf [40]byte
		b := buf[:0]
		for _, r := range num {
			v, ok := digitValue(r)
			switch {
			case ok:
				b = append(b, byte('0'+v))
			case r == '.':
				b = append(b, '.')
			default:
				return 0, time.Time{}
			}
		}
		num = string(b)
	}
	v, ok := parseDecimal(num)
	if !ok {
		return 0, time.Time{}
	}
	intPart, frac, dot := strings.Cut(num, ".")
	scale := 0 // decimal places to move left
	if t.longFrm && len(num) >= 13 {
		if len(num) >= 16 && !dot {
			v, scale = v/1000000, 6
		} else {
			v, scale = v/1000, 3
		}
	}
	return v, exactUnix(intPart, frac, scale)
}

// asciiNumber reports whether s holds only ASCII digits and dots, which
// epochSeconds can read in place.
func asciiNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseDecimal is strconv.ParseFloat for a string of ASCII digits and
// dots. Up to 15 digits with at most one dot, the mantissa and the power
// of ten are exact float64s and one division rounds correctly, as
// strconv's own exact path does; anything else goes to ParseFloat.
func parseDecimal(num string) (float64, bool) {
	var mant uint64
	digits, fracDigits, dots := 0, 0, 0
	for i := 0; i < len(num); i++ {
		if num[i] == '.' {
			dots++
			continue
		}
		mant = mant*10 + uint64(num[i]-'0')
		digits++
		if dots > 0 {
			fracDigits++
		}
	}
	if digits == 0 || digits > 15 || dots > 1 {
		v, err := strconv.ParseFloat(num, 64)
		return v, err == nil
	}
	return float64(mant) / pow10[fracDigits], true
}

// exactUnix builds the instant of the decimal number intPart.frac divided
// by 10^scale without float rounding.
func exactUnix(intPart, frac string, scale int) time.Time {
	n, _ := strconv.ParseInt(intPart, 10, 64)
	var p int64 = 1
	for range scale {
		p *= 10
	}
	// nanoseconds: the first nine digits of the last scale digits of
	// intPart followed by frac
	var nsec int64
	k := 0
	for _, part := range [2]string{intPart[max(len(intPart)-scale, 0):], frac} {
		for i := 0; i < len(part) && k < 9; i++ {
			nsec = nsec*10 + int64(part[i]-'0')
			k++
		}
	}
	for ; k < 9; k++ {
		nsec *= 10
	}
	return time.Unix(n/p, nsec)
}
