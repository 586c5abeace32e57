package datedetect

import (
	"math"
	"time"
)

// zoneCache remembers the zone period (constant UTC offset) of a location
// last used, so that converting a date skips time.Date and Time.In while
// consecutive lines fall in the same period, which is nearly always.
type zoneCache struct {
	loc        *time.Location
	start, end int64 // Unix seconds of the period, end exclusive
	off        int64 // seconds east of UTC
	ok         bool
}

func (z *zoneCache) load(unix int64) {
	t := time.Unix(unix, 0).In(z.loc)
	_, off := t.Zone()
	s, e := t.ZoneBounds()
	z.off, z.start, z.end, z.ok = int64(off), math.MinInt64, math.MaxInt64, true
	if !s.IsZero() {
		z.start = s.Unix()
	}
	if !e.IsZero() {
		z.end = e.Unix()
	}
}

// offset returns the UTC offset of loc at the instant unix.
func (z *zoneCache) offset(unix int64) int64 {
	if !z.ok || unix < z.start || unix >= z.end {
		z.load(unix)
	}
	return z.off
}

// fromWall returns the instant of the wall-clock time naive (seconds of a
// date-time read as UTC) in loc, exactly as time.Date resolves it: the
// period containing naive decides unless naive minus its offset leaves
// that period, and then time.Date looks again (gaps and overlaps).
func (z *zoneCache) fromWall(naive int64) int64 {
	if z.ok && naive >= z.start && naive < z.end {
		if u := naive - z.off; u >= z.start && u < z.end {
			return u
		}
	}
	t := time.Unix(naive, 0).UTC()
	u := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, z.loc).Unix()
	z.load(u)
	return u
}
