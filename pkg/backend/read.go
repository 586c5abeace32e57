package backend

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
	"time"
)

// errStopped reports that the context was cancelled while a line was being
// handed over; Run turns it into a nil return.
var errStopped = errors.New("backend stopped")

// readChunk is how much is asked of the kernel per read.
const readChunk = 64 << 10

// missingCloseAfter is how many polls an open file may stay missing from its
// path before its descriptor is closed (fail2ban gives up on a file after 50
// failed stats too). Until then, lines a writer still appends to a renamed
// file are read; a deleted file's space is released after that.
const missingCloseAfter = 50

// reader holds what one Run invocation needs to turn files into lines.
type reader struct {
	ctx     context.Context
	out     chan<- Line
	decoder func() Decoder // current logencoding, may change while running
	decode  Decoder
	maxLine int
	// dateOf finds a line's time for the start-time seek (nil: no seek);
	// seekWindow is where bisection stops and linear reading takes over.
	dateOf     func(string) (time.Time, bool)
	seekWindow int64
	log        *slog.Logger
}

func newReader(ctx context.Context, out chan<- Line, decoder func() Decoder, maxLine int, log *slog.Logger) *reader {
	return &reader{ctx: ctx, out: out, decoder: decoder, maxLine: maxLine, log: log}
}

// readBufs holds the read buffers of all readers. A buffer is only needed
// while new lines are being read, and a follower spends nearly all its
// life waiting: a buffer per watched file (128 KiB with the default line
// cap) would be idle memory, about 1.3 MiB with ten jails. Borrowed per
// read, one buffer serves every file that is read in turn, and the pool
// lets the collector take the buffers back once reading stops.
var readBufs sync.Pool // of *[]byte

// getBuf borrows an empty read buffer with room for n bytes.
func getBuf(n int) *[]byte {
	if b, ok := readBufs.Get().(*[]byte); ok && cap(*b) >= n {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, n)
	return &b
}

// poll checks one file and reads what is new. force skips the cheap
// "nothing changed since the last stat" test (inotify events, first read).
func (r *reader) poll(t *tailed, force bool) error {
	fi, err := os.Stat(t.name)
	if err != nil {
		return r.missingFile(t, err)
	}
	t.missing, t.warned = 0, false
	key := keyOf(fi)
	if !force && key == t.last && t.f != nil {
		return nil
	}
	t.last = key
	if t.f != nil && t.fIno != key.ino {
		// Rotated by rename: finish the old file, then follow the new one.
		if err := r.readLines(t, true); err != nil {
			return err
		}
		t.closeFile()
	}
	if t.f == nil {
		if err := r.open(t); err != nil {
			r.log.Warn("unable to open log file", logKeyFile, t.name, logKeyErr, err)
			return nil
		}
		if !t.since.IsZero() && r.dateOf != nil {
			r.seekTime(t, t.since)
		}
		t.since = time.Time{}
	}
	if err := r.readNew(t); err != nil {
		return err
	}
	t.live = true // the end was reached: from now on lines are new
	return nil
}

func (r *reader) open(t *tailed) error {
	f, err := os.Open(t.name)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	ino := inodeOf(fi)
	if old := t.getIno(); ino != old {
		if old != 0 {
			r.rotated(t, "inode changed")
		}
		t.pos.Store(0)
		t.setIno(ino)
	}
	t.f, t.fIno = f, ino
	return nil
}

// readNew applies fail2ban's rotation checks (size shrank, first line
// changed) and reads the complete lines past the saved position.
func (r *reader) readNew(t *tailed) error {
	fi, err := t.f.Stat()
	if err != nil {
		return nil
	}
	size, pos, stored := fi.Size(), t.pos.Load(), t.getHash()
	if size < pos {
		r.rotated(t, "file truncated")
		pos = 0
	}
	if size == pos && stored != "" {
		return nil
	}
	cur, err := firstLineHash(t.f)
	if err != nil {
		r.log.Warn("unable to read log file", logKeyFile, t.name, logKeyErr, err)
		return nil
	}
	if stored != "" && cur != stored && pos > 0 {
		r.rotated(t, "first line changed")
		pos = 0
	}
	if cur != stored {
		t.setHash(cur)
	}
	if size <= pos {
		return nil
	}
	return r.readLines(t, false)
}

// rotated restarts a file at offset 0 and logs it as fail2ban does (at its
// MSG level, between INFO and WARNING).
func (r *reader) rotated(t *tailed, reason string) {
	r.log.Log(r.ctx, slog.LevelInfo+2, "log rotation detected", logKeyFile, t.name, logKeyReason, reason)
	t.pos.Store(0)
	t.skipping = false
}

// missingFile handles a path that cannot be stat'ed: an open descriptor is
// still drained (the writer may not have reopened yet) and closed after a few
// polls; the path stays monitored and is read from the start when it
// reappears.
func (r *reader) missingFile(t *tailed, err error) error {
	t.missing++
	t.last = statKey{}
	if !t.warned {
		t.warned = true
		r.log.Warn("unable to open log file", logKeyFile, t.name, logKeyErr, err)
	}
	if t.f == nil {
		return nil
	}
	final := t.missing >= missingCloseAfter
	if err := r.readLines(t, final); err != nil {
		return err
	}
	if final {
		t.closeFile()
	}
	return nil
}

// readLines emits every complete line from the saved position to the end
// of the open file. With final set, a trailing line without newline is
// emitted too (the file will not grow any more).
func (r *reader) readLines(t *tailed, final bool) error {
	off := t.pos.Load()
	pooled := getBuf(r.maxLine + readChunk)
	defer readBufs.Put(pooled)
	buf := *pooled
	r.decode = r.decoder()
	for {
		n, err := t.f.ReadAt(buf[len(buf):cap(buf)], off+int64(len(buf)))
		buf = buf[:len(buf)+n]
		used, serr := r.emitLines(t, buf, off)
		if serr != nil {
			return serr
		}
		off += int64(used)
		buf = buf[:copy(buf, buf[used:])]
		if len(buf) >= r.maxLine {
			// Over-long line: emit its head now and drop the rest up to
			// the next newline.
			if err := r.send(t, buf[:r.maxLine], off+int64(len(buf))); err != nil {
				return err
			}
			off += int64(len(buf))
			buf, t.skipping = buf[:0], true
		}
		if err != nil || n == 0 {
			break
		}
	}
	if final && len(buf) > 0 && !t.skipping {
		return r.send(t, buf, off+int64(len(buf)))
	}
	return nil
}

// emitLines sends the complete lines in buf (which starts at file offset
// off) and returns how many bytes it consumed.
func (r *reader) emitLines(t *tailed, buf []byte, off int64) (int, error) {
	start := 0
	if t.skipping {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			t.pos.Store(off + int64(len(buf)))
			return len(buf), nil
		}
		start, t.skipping = i+1, false
		t.pos.Store(off + int64(start))
	}
	for {
		i := bytes.IndexByte(buf[start:], '\n')
		if i < 0 {
			return start, nil
		}
		end := start + i + 1
		if err := r.send(t, buf[start:end], off+int64(end)); err != nil {
			return start, err
		}
		start = end
	}
}

// send caps and decodes one raw line (without its trailing "\r\n"
// characters), hands it over and advances the position.
func (r *reader) send(t *tailed, raw []byte, next int64) error {
	if t.removed.Load() {
		// RemovePath ran while this file was being read: nothing of it
		// goes out after RemovePath returned.
		return nil
	}
	if len(raw) > r.maxLine {
		raw = raw[:r.maxLine]
	}
	for len(raw) > 0 && (raw[len(raw)-1] == '\n' || raw[len(raw)-1] == '\r') {
		raw = raw[:len(raw)-1]
	}
	line := Line{Text: r.decode(raw), File: t.name, Pos: next, Live: t.live}
	select { // fast path: a non-blocking send is much cheaper than a select
	case r.out <- line:
		t.pos.Store(next)
		return nil
	default:
	}
	select {
	case r.out <- line:
		t.pos.Store(next)
		return nil
	case <-r.ctx.Done():
		return errStopped
	}
}
