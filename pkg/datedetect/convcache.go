package datedetect

// convCache remembers the minute of the last strptime conversion. The
// lines of a log come in time order and share their date and minute for
// many lines, and that part of a conversion (strptime's fields, the date's
// validity, the day count, the year a year earlier) is a function of the
// template, the text of the groups minuteOf reads and the local date of
// now. An entry is reused when the template and day agree, every group
// minuteOf reads sits at the same place in the match and the matched text
// is the same outside the seconds and fraction of the cached match (which
// no such group overlaps): then each of those groups has the same text. A hit leaves only the seconds and the zone- and now-relative
// steps (minuteBase.seconds) to run per line.
type convCache struct {
	t      *template
	day    int64    // local day number of now the entry was computed on
	rel    [32]int  // loc[matcher.convLoc[i]] minus the match start
	nloc   int      // len(loc)
	text   [64]byte // the matched text
	tlen   int
	holes  [2]span // spans of text (relative) not compared: %S and %f
	nholes int
	base   minuteBase
	valid  bool
}

// setConvGroups lists the groups minuteOf reads (every strptime field but
// %S, and %p, which %I reads) and those it ignores that change from line to
// line (%S and %f), and the offsets the cache compares: those of the groups
// minuteOf reads (the holes need not be at the same place, the text
// outside the stored ones is compared).
func (m *matcher) setConvGroups() {
	for i, k := range m.keys {
		switch {
		case k == 'S':
			m.secGroup = i + 1
		case m.names[i] == "f":
			m.fracGroup = i + 1
		case k != 0 || m.names[i] == "p":
			m.minGroups = append(m.minGroups, i+1)
		}
	}
	for _, g := range m.minGroups {
		m.convLoc = append(m.convLoc, 2*g, 2*g+1)
	}
}

// lookup reports whether the cache holds the minute of this match.
func (c *convCache) lookup(t *template, line string, loc []int, day int64) bool {
	if !c.valid || c.t != t || c.day != day || len(loc) != c.nloc || loc[1]-loc[0] != c.tlen {
		return false
	}
	// An unset group (-1) minus a different start than the stored one
	// misses, which is merely conservative.
	o := loc[0]
	rel := c.rel[:len(t.m.convLoc)]
	for i, j := range t.m.convLoc {
		if loc[j]-o != rel[i] {
			return false
		}
	}
	text, p := line[o:loc[1]], 0
	for _, h := range c.holes[:c.nholes] {
		if text[p:h.s] != string(c.text[p:h.s]) {
			return false
		}
		p = h.e
	}
	return text[p:] == string(c.text[p:c.tlen])
}

// store records the minute of a match. c.base is b even when the match
// does not fit the buffers and the entry is not kept for the next line.
func (c *convCache) store(t *template, line string, loc []int, day int64, b minuteBase) {
	c.valid, c.base = false, b
	if len(t.m.convLoc) > len(c.rel) || loc[1]-loc[0] > len(c.text) {
		return
	}
	o := loc[0]
	for i, j := range t.m.convLoc {
		c.rel[i] = loc[j] - o
	}
	c.nloc = len(loc)
	c.tlen = copy(c.text[:], line[o:loc[1]])
	c.nholes = 0
	for _, g := range [2]int{t.m.secGroup, t.m.fracGroup} {
		if g > 0 && loc[2*g] >= 0 {
			c.holes[c.nholes] = span{loc[2*g] - o, loc[2*g+1] - o}
			c.nholes++
		}
	}
	if !c.holesApart(t.m, loc) {
		c.nholes = 0 // compare the whole text
	}
	c.t, c.day, c.valid = t, day, true
}

// holesApart reports that the holes are in text order, inside the match,
// disjoint, and overlap no group minuteOf reads.
func (c *convCache) holesApart(m *matcher, loc []int) bool {
	h := c.holes[:c.nholes]
	if len(h) == 2 && h[0].s > h[1].s {
		h[0], h[1] = h[1], h[0]
	}
	for i, x := range h {
		if x.s < 0 || x.e > c.tlen || x.s > x.e || i > 0 && h[i-1].e > x.s {
			return false
		}
		for _, g := range m.minGroups {
			s, e := loc[2*g]-loc[0], loc[2*g+1]-loc[0]
			if loc[2*g] >= 0 && s < x.e && x.s < e {
				return false
			}
		}
	}
	return true
}
