package backend

import (
	"bytes"
	"io"
	"os"
	"time"
)

// defaultSeekWindow is the span below which bisection stops: the rest is
// read line by line (the jail drops lines older than findtime anyway).
const defaultSeekWindow = 64 << 10

// seekLines is how many lines after a probe point may be tried for a date.
const seekLines = 5

// seekTime moves a newly opened file's position forward to a line start at
// or shortly before the first line dated at or after since, by bisecting
// over the file (fail2ban's seekToTime). Lines without a date are skipped;
// if none of the lines after a probe point has one, the search stops where
// it is, which only costs reading more.
func (r *reader) seekTime(t *tailed, since time.Time) {
	fi, err := t.f.Stat()
	if err != nil {
		return
	}
	lo, hi := t.pos.Load(), fi.Size()
	for hi-lo > r.seekWindow {
		mid := lo + (hi-lo)/2
		start, tm, found, dated := r.probe(t.f, mid, hi)
		switch {
		case !found:
			hi = mid
		case !dated:
			t.pos.Store(lo)
			return
		case tm.Before(since) && start < hi:
			lo = start
		default:
			hi = mid
		}
	}
	t.pos.Store(lo)
}

// probe finds the first line starting at or after mid (and before hi) and
// returns the start and time of the first of the next few lines that has a
// date. found is false when no line starts in [mid, hi).
func (r *reader) probe(f *os.File, mid, hi int64) (start int64, tm time.Time, found, dated bool) {
	buf := make([]byte, min(int64(r.maxLine)+readChunk, hi-mid+1+readChunk))
	n, err := f.ReadAt(buf, mid-1)
	if err != nil && err != io.EOF {
		return 0, time.Time{}, false, false
	}
	buf = buf[:n]
	i := bytes.IndexByte(buf, '\n')
	if i < 0 || mid+int64(i) >= hi {
		return 0, time.Time{}, false, false
	}
	buf, start = buf[i+1:], mid+int64(i)
	dec := r.decoder()
	for range seekLines {
		j := bytes.IndexByte(buf, '\n')
		if j < 0 {
			break
		}
		if tm, ok := r.dateOf(dec(bytes.TrimRight(buf[:j], "\r"))); ok {
			return start, tm, true, true
		}
		buf, start = buf[j+1:], start+int64(j)+1
	}
	return start, time.Time{}, true, false
}
