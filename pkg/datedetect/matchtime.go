package datedetect

import "unicode/utf8"

// candidate is a match kept while the scan looks for a better one; the
// hit itself lives in the caller's buffer.
type candidate struct {
	h        *hit
	ok       bool
	distance int
	i        int
}

func (c *candidate) keep(h *hit, i int) {
	c.h.copyFrom(h)
	c.ok, c.distance, c.i = true, h.start, i
}

// matchTime picks the template for line with fail2ban's heuristics: try
// the last winner first (inside its previous span when the characters
// around it agree), then scan the list; prefer anchored templates and
// matches that do not start later than before.
func (d *Detector) matchTime(line string, cur, cand *hit) (*entry, *hit, bool) {
	found := candidate{h: cand, distance: notSet, i: -1}
	ignore := notSet
	h := cur
	var ok bool
	var e *entry
	i := d.lastIdx
	if i < len(d.order) {
		e = d.order[i]
		ok, ignore = d.tryLast(e, line, i, cur)
		if ok && !(len(d.order) == 1 || e.t.anchored() ||
			(h.start == d.last.start && h.end == d.last.end)) {
			found.keep(cur, i)
			ok = false
		}
	}
	if !ok {
		e, i, ok = d.scan(line, ignore, &found, cur)
		if !ok && found.ok {
			h, i, ok = found.h, found.i, true
			e = d.order[i]
		}
	}
	if !ok {
		return nil, nil, false
	}
	d.won(e, i, line, h.start, h.end, h.loc()[1])
	return e, h, true
}

// tryLast runs the previous winner: on the whole line if it is anchored or
// the boundaries moved, else only inside its previous span.
func (d *Detector) tryLast(e *entry, line string, i int, h *hit) (bool, int) {
	if e.t.anchored() {
		return d.matchDate(e, line, 0, len(line), h), i
	}
	lastPos, lastEnd := d.last.around()
	dist, endpos := lastPos.pos, lastEnd.pos
	beginSame := charSlice(line, dist-1) == lastPos.before ||
		(charSlice(line, dist) == lastPos.at && !isAlnum(lastPos.at))
	endSame := charSlice(line, endpos) == lastEnd.at ||
		(charSlice(line, endpos-1) == lastEnd.before && !isAlnum(lastEnd.before))
	if beginSame && endSame {
		return d.matchDate(e, line, byteIndex(line, dist), byteIndex(line, endpos), h), notSet
	}
	return d.matchDate(e, line, 0, len(line), h), i
}

// scan tries the templates in list order.
func (d *Detector) scan(line string, ignore int, found *candidate, h *hit) (*entry, int, bool) {
	n := len(d.order)
	for i, e := range d.order {
		if i == ignore {
			continue
		}
		if !d.matchDate(e, line, 0, len(line), h) {
			continue
		}
		if i+1 >= n || e.t.anchored() {
			return e, i, true
		}
		if h.start == 0 && e.hits > 0 && d.order[i+1].rawHits == 0 {
			return e, i, true
		}
		if h.start > e.distance || h.start > d.last.start {
			if h.start < found.distance {
				found.keep(h, i)
			}
			continue
		}
		return e, i, true
	}
	return nil, 0, false
}

// won updates the statistics of the winning template (at i in the list)
// and moves it up; start and end are the rune offsets of its match in
// line, byteEnd the byte offset of the end.
func (d *Detector) won(e *entry, i int, line string, start, end, byteEnd int) {
	e.hits++
	e.lastUsed = float64(d.nowT.UnixNano()) / 1e9
	e.distance = start
	if d.firstUnused == i {
		d.firstUnused++
	}
	d.last = bounds{line: line, start: start, end: end, byteEnd: byteEnd}
	if i != 0 && i != d.lastIdx {
		i = d.reorder(i)
	}
	d.lastIdx = i
}

// reorder bubbles template num up the list when its weight (hits per
// distance) beats the template at the target position, or that one has
// been unused for a while.
func (d *Detector) reorder(num int) int {
	e := d.order[num]
	untime := e.lastUsed - unusedTime
	weight := e.weight()
	pos := num / 2
	if d.firstUnused < num {
		pos = d.firstUnused
	}
	movable := func() bool {
		p := d.order[pos]
		return weight > p.weight() || untime > p.lastUsed
	}
	if !movable() {
		if pos == num-1 {
			return num
		}
		pos = num - 1
		if !movable() {
			return num
		}
	}
	copy(d.order[pos+1:num+1], d.order[pos:num])
	d.order[pos] = e
	for d.firstUnused < len(d.order) && d.order[d.firstUnused].hits > 0 {
		d.firstUnused++
	}
	return pos
}

// bounds is where the last winning match lay. tryLast compares the
// characters around it with the next line's only for unanchored
// templates, so they are read from the line when needed, not cut out for
// every line.
type bounds struct {
	line       string // the line it was found in; "" before the first
	start, end int    // rune offsets of the match
	byteEnd    int    // byte offset of the end
}

// around returns the match boundaries and the characters around them
// (fail2ban's line[distance-1:distance], line[distance],
// line[endpos-1] and line[endpos:endpos+1]); the characters are empty
// before the first match.
func (b *bounds) around() (lastPos, lastEnd posInfo) {
	lastPos, lastEnd = posInfo{pos: b.start}, posInfo{pos: b.end}
	line := b.line
	switch {
	case line == "":
		// no match yet, or one in an empty line: no characters around it
	case b.byteEnd == b.end && b.start < b.end:
		// Every character before the match end is ASCII (rune offset ==
		// byte offset), so the neighbours are single bytes except the one
		// after the end.
		if e := b.byteEnd; e < len(line) {
			_, n := utf8.DecodeRuneInString(line[e:])
			lastEnd.at = line[e : e+n]
		}
		if b.start > 0 { // else Python's line[-1:0] is ""
			lastPos.before = line[b.start-1 : b.start]
		}
		lastPos.at, lastEnd.before = line[b.start:b.start+1], line[b.byteEnd-1:b.byteEnd]
	default:
		lastPos.before, lastPos.at = charSlice(line, b.start-1), charAt(line, b.start)
		lastEnd.before, lastEnd.at = charAt(line, b.end-1), charSlice(line, b.end)
	}
	return lastPos, lastEnd
}
