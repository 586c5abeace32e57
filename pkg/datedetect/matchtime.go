package datedetect

// candidate is a match kept while the scan looks for a better one.
type candidate struct {
	h        hit
	ok       bool
	distance int
	i        int
}

// matchTime picks the template for line with fail2ban's heuristics: try
// the last winner first (inside its previous span when the characters
// around it agree), then scan the list; prefer anchored templates and
// matches that do not start later than before.
func (d *Detector) matchTime(line string) (*entry, hit, bool) {
	found := candidate{distance: notSet, i: -1}
	ignore := notSet
	var h hit
	var ok bool
	var e *entry
	i := d.lastIdx
	if i < len(d.order) {
		e = d.order[i]
		h, ok, ignore = d.tryLast(e, line, i)
		if ok && !(len(d.order) == 1 || e.t.anchored() ||
			(h.start == d.lastPos.pos && h.end == d.lastEnd.pos)) {
			found = candidate{h: h, ok: true, distance: h.start, i: i}
			ok = false
		}
	}
	if !ok {
		e, h, i, ok = d.scan(line, ignore, &found)
		if !ok && found.ok {
			h, i, ok = found.h, found.i, true
			e = d.order[i]
		}
	}
	if !ok {
		return nil, hit{}, false
	}
	d.won(e, h, i, line)
	return e, h, true
}

// tryLast runs the previous winner: on the whole line if it is anchored or
// the boundaries moved, else only inside its previous span.
func (d *Detector) tryLast(e *entry, line string, i int) (hit, bool, int) {
	if e.t.anchored() {
		h, ok := d.matchDate(e, line, 0, len(line))
		return h, ok, i
	}
	dist, endpos := d.lastPos.pos, d.lastEnd.pos
	beginSame := charSlice(line, dist-1) == d.lastPos.before ||
		(charSlice(line, dist) == d.lastPos.at && !isAlnum(d.lastPos.at))
	endSame := charSlice(line, endpos) == d.lastEnd.at ||
		(charSlice(line, endpos-1) == d.lastEnd.before && !isAlnum(d.lastEnd.before))
	if beginSame && endSame {
		h, ok := d.matchDate(e, line, byteIndex(line, dist), byteIndex(line, endpos))
		return h, ok, notSet
	}
	h, ok := d.matchDate(e, line, 0, len(line))
	return h, ok, i
}

// scan tries the templates in list order.
func (d *Detector) scan(line string, ignore int, found *candidate) (*entry, hit, int, bool) {
	n := len(d.order)
	for i, e := range d.order {
		if i == ignore {
			continue
		}
		h, ok := d.matchDate(e, line, 0, len(line))
		if !ok {
			continue
		}
		if i+1 >= n || e.t.anchored() {
			return e, h, i, true
		}
		if h.start == 0 && e.hits > 0 && d.order[i+1].rawHits == 0 {
			return e, h, i, true
		}
		if h.start > e.distance || h.start > d.lastPos.pos {
			if h.start < found.distance {
				*found = candidate{h: h, ok: true, distance: h.start, i: i}
			}
			continue
		}
		return e, h, i, true
	}
	return nil, hit{}, 0, false
}

// won updates the statistics of the winning template and moves it up.
func (d *Detector) won(e *entry, h hit, i int, line string) {
	e.hits++
	e.lastUsed = float64(d.now().UnixNano()) / 1e9
	e.distance = h.start
	if d.firstUnused == i {
		d.firstUnused++
	}
	d.lastPos = posInfo{pos: h.start, before: charSlice(line, h.start-1), at: charAt(line, h.start)}
	d.lastEnd = posInfo{pos: h.end, before: charAt(line, h.end-1), at: charSlice(line, h.end)}
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
