package datedetect

// convCache remembers the last strptime conversion. A burst of log lines
// usually shares one timestamp, and the result depends only on the
// template, the matched text with its group offsets and the current second
// (year inference and "today" read Now to the second), so an equal key
// gives the same answer without parsing again.
type convCache struct {
	t     *template
	now   int64
	text  [64]byte
	tlen  int
	rel   [32]int // loc relative to the match start
	n     int
	sec   int64
	ok    bool
	valid bool
}

// lookup returns the cached result for this match, if any.
func (c *convCache) lookup(t *template, line string, loc []int, now int64) (sec int64, ok, hit bool) {
	if !c.valid || c.t != t || c.now != now || c.n != len(loc) || loc[1]-loc[0] != c.tlen ||
		string(c.text[:c.tlen]) != line[loc[0]:loc[1]] {
		return 0, false, false
	}
	for i, v := range loc {
		if v >= 0 {
			v -= loc[0]
		}
		if v != c.rel[i] {
			return 0, false, false
		}
	}
	return c.sec, c.ok, true
}

// store records a conversion; matches too long for the buffers are not
// cached.
func (c *convCache) store(t *template, line string, loc []int, now, sec int64, ok bool) {
	c.valid = false
	if len(loc) > len(c.rel) || loc[1]-loc[0] > len(c.text) {
		return
	}
	for i, v := range loc {
		if v >= 0 {
			v -= loc[0]
		}
		c.rel[i] = v
	}
	c.t, c.now, c.n, c.sec, c.ok, c.valid = t, now, len(loc), sec, ok, true
	c.tlen = copy(c.text[:], line[loc[0]:loc[1]])
}
