package filter

import "unicode/utf8"

// A line is offered to every failregex in turn, and most failregexes
// reject it on its first byte (stock sshd's 22 start with ^ and a word:
// "Failed", "User", "Accepted" …). Each of those rejections still costs
// a call and the prefilter's checks; firstDispatch answers for all
// failregexes at once which ones a text's first byte leaves in the
// running, from the same byte sets mayMatch tests (Regex.first), so a
// skipped failregex is exactly one whose mayMatch would say false.

// firstDispatch holds, per first byte, a bit set of the failregexes
// that may match (bit i: failregex i).
type firstDispatch struct {
	ascii [utf8.RuneSelf]uint64
	empty uint64 // for the empty text
	all   uint64 // for a non-ASCII first byte: first sets never reject it
}

// maxDispatch is the number of failregexes a mask holds.
const maxDispatch = 64

// newFirstDispatch returns the dispatch table for fail, or nil when it
// would not pay (fewer than two failregexes, or none with a first-byte
// set) or does not fit a mask.
func newFirstDispatch(fail []*Regex) *firstDispatch {
	if len(fail) < 2 || len(fail) > maxDispatch {
		return nil
	}
	d := &firstDispatch{}
	useful := false
	for i, r := range fail {
		bit := uint64(1) << i
		d.all |= bit
		if r.first == nil {
			d.empty |= bit
			for c := range d.ascii {
				d.ascii[c] |= bit
			}
			continue
		}
		useful = true
		for c := range d.ascii {
			if r.first.has(byte(c)) {
				d.ascii[c] |= bit
			}
		}
	}
	if !useful {
		return nil
	}
	return d
}

// mask returns the failregexes whose first-byte check text passes.
func (d *firstDispatch) mask(text string) uint64 {
	switch {
	case text == "":
		return d.empty
	case text[0] < utf8.RuneSelf:
		return d.ascii[text[0]]
	}
	return d.all
}

// candidates is the mask for text, or every failregex when the filter
// has no dispatch table or runs its reference path. Failregexes from
// maxDispatch on are not in the mask: callers test i < maxDispatch.
func (f *Filter) candidates(text string) uint64 {
	if f.dispatch == nil || f.slow {
		return ^uint64(0)
	}
	return f.dispatch.mask(text)
}
