package filter

import (
	"strings"
	"unsafe"
)

// scratch holds per-filter buffers that the hot path reuses from line to
// line, so a line that matches nothing allocates nothing: the text the
// regexes search (the buffered lines joined, plus "\n"), the prefregex
// content text, and the Match values of the last searches.
//
// Strings made from these buffers are only valid until the next line;
// owned copies out whatever outlives the call (failure data), and
// contentLine maps the prefregex content back into the line's own text.
type scratch struct {
	text, content []byte
	pre, fail     Match
	two           [1]line                  // backing store of buf after a prefregex content cut
	loc           [2 * (seqMaxCap + 1)]int // the fused path's walk offsets
}

// joinScratch is joinText into the reusable text buffer.
func (f *Filter) joinScratch(buf []line) string {
	if f.slow {
		return joinText(buf)
	}
	b := f.sc.text[:0]
	for i, l := range buf {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(b, l.pre...)
		b = append(b, l.post...)
	}
	b = append(b, '\n')
	f.sc.text = b
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// contentText is c + "\n" in the reusable content buffer.
func (f *Filter) contentText(c string) string {
	if f.slow {
		return c + "\n"
	}
	b := append(append(f.sc.content[:0], c...), '\n')
	f.sc.content = b
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// inScratch reports whether s points into one of the reusable buffers.
func (f *Filter) inScratch(s string) bool {
	if s == "" {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	for _, b := range [...][]byte{f.sc.text, f.sc.content} {
		base := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		if cap(b) > 0 && p >= base && p < base+uintptr(cap(b)) {
			return true
		}
	}
	return false
}

// owned returns s, copied out of the scratch buffers if it lives there.
func (f *Filter) owned(s string) string {
	if f.inScratch(s) {
		return strings.Clone(s)
	}
	return s
}

// own makes a match's text safe to keep beyond the current line.
func (f *Filter) own(m *Match) {
	if m != nil {
		m.text = f.owned(m.text)
	}
}

// contentLine is the buffered line that replaces a single line after the
// prefregex cut out its content c (at [start, end) of text, which is
// l.pre + l.post + "\n"): c as a substring of l.pre or l.post where it
// lies within one of them, so the buffer never points into scratch.
func (f *Filter) contentLine(l line, start, end int, c string) line {
	switch n := len(l.pre); {
	case end <= n:
		return line{post: l.pre[start:end]}
	case start >= n && end-n <= len(l.post):
		return line{post: l.post[start-n : end-n]}
	}
	return line{post: f.owned(c)}
}

// ownIn is own without the copy when m's text is base+"\n" for a base
// that does not live in the scratch buffers (the raw line, or the
// prefregex content as a piece of it) and no group reaches the final
// "\n": the groups are then the same bytes sliced from base. The byte
// comparison makes any base safe to offer.
func (f *Filter) ownIn(m *Match, base string) {
	if m == nil {
		return
	}
	t := m.text
	if base != "" && len(t) == len(base)+1 && f.inScratch(t) && !f.inScratch(base) &&
		t[:len(base)] == base && groupsWithin(m.loc[2:], len(base)) {
		m.text = base
		return
	}
	f.own(m)
}

// groupsWithin reports whether every group offset is at most n.
func groupsWithin(loc []int, n int) bool {
	for _, x := range loc {
		if x > n {
			return false
		}
	}
	return true
}

// ownBases offers ownIn a base for the prefregex match and one for the
// failregex match of a single buffered line: the line after its date
// when nothing precedes the date, and the content piece of the line.
func (f *Filter) ownBases(org []line, pre *Match) (preBase, failBase string) {
	if len(org) != 1 || f.o.MaxLines > 1 {
		return "", ""
	}
	if org[0].pre == "" {
		preBase = org[0].post
	}
	if pre == nil {
		return preBase, preBase
	}
	return preBase, f.sc.two[0].post
}
