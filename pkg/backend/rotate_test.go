package backend

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// seqWriter appends numbered lines to a log the way a syslog daemon does.
type seqWriter struct {
	t    *testing.T
	name string
	f    *os.File
	next int
}

func newSeqWriter(t *testing.T, name string) *seqWriter {
	w := &seqWriter{t: t, name: name}
	w.reopen()
	return w
}

func (w *seqWriter) reopen() {
	if w.f != nil {
		w.f.Close()
	}
	f, err := os.OpenFile(w.name, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		w.t.Error(err)
		return
	}
	w.f = f
}

// write appends n lines, some of them in two parts so that the reader sees
// partial lines.
func (w *seqWriter) write(n int) {
	for range n {
		s := seqLine(w.next) + "\n"
		if w.next%7 == 0 {
			w.f.WriteString(s[:5])
			s = s[5:]
		}
		if _, err := w.f.WriteString(s); err != nil {
			w.t.Error(err)
		}
		w.next++
	}
}

func (w *seqWriter) close() { w.f.Close() }

// Rotation by rename while lines keep coming: the old file is finished,
// the new one followed, nothing lost or duplicated. The writer keeps writing
// to the renamed file for a while before reopening, like a daemon that
// reopens on SIGHUP.
func TestFiles_RotateRename(t *testing.T) {
	const rounds, perRound = 8, 500
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "auth.log")
			w := newSeqWriter(t, name)
			fs := newFiles(t, m.mode)
			if err := fs.AddPath(PathSpec{Name: name}); err != nil {
				t.Fatal(err)
			}
			out := startFiles(t, fs)
			c := newCounter(out)
			done := make(chan struct{})
			go func() {
				defer close(done)
				defer w.close()
				for range rounds {
					first := w.next
					w.write(perRound)
					// A file renamed away before the reader ever opened it
					// cannot be found again: rotate only once the reader
					// follows the current file.
					c.waitFor(first + 1)
					if err := os.Rename(name, name+".1"); err != nil {
						t.Error(err)
						return
					}
					w.write(perRound / 10) // still writing to the old file
					w.reopen()
				}
				w.write(perRound)
			}()
			got := c.collect(t, rounds*(perRound+perRound/10)+perRound)
			<-done
			checkSeq(t, got, len(got))
		})
	}
}

// Copytruncate: the content is copied elsewhere and the file truncated in
// place. Lines written between the reader's last read and the truncation
// are gone for any tail reader (logrotate documents this), so the writer
// truncates only once the reader has caught up, then writes on at once;
// every later line must arrive exactly once, even when the file has grown
// past the old position before the reader looks again.
func TestFiles_RotateCopytruncate(t *testing.T) {
	const rounds, perRound = 6, 400
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "mail.log")
			w := newSeqWriter(t, name)
			defer w.close()
			fs := newFiles(t, m.mode)
			if err := fs.AddPath(PathSpec{Name: name}); err != nil {
				t.Fatal(err)
			}
			out := startFiles(t, fs)
			var got []Line
			var copied atomic.Int64
			for r := range rounds {
				w.write(perRound)
				got = append(got, collect(t, out, perRound)...)
				copied.Add(copyTruncate(t, name))
				// The first line after truncation differs in length from
				// the old first line only by its number: the hash check
				// must catch a file that regrew past the old position.
				w.write(perRound * (r + 1) / rounds)
				got = append(got, collect(t, out, perRound*(r+1)/rounds)...)
			}
			checkSeq(t, got, len(got))
			if copied.Load() == 0 {
				t.Fatal("nothing was copied")
			}
		})
	}
}

func copyTruncate(t *testing.T, name string) int64 {
	t.Helper()
	src, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(name + ".1")
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	n, err := io.Copy(dst, src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(name, 0); err != nil {
		t.Fatal(err)
	}
	return n
}

// counter drains a backend's output in the background so that a writer can
// wait until the reader has caught up to a given line count.
type counter struct {
	mu    sync.Mutex
	cond  *sync.Cond
	lines []Line
}

func newCounter(out <-chan Line) *counter {
	c := &counter{}
	c.cond = sync.NewCond(&c.mu)
	go func() {
		for l := range out {
			c.mu.Lock()
			c.lines = append(c.lines, l)
			c.cond.Broadcast()
			c.mu.Unlock()
		}
	}()
	return c
}

// waitFor blocks until n lines have arrived.
func (c *counter) waitFor(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.lines) < n {
		c.cond.Wait()
	}
}

// collect returns the first n lines, failing at the deadline.
func (c *counter) collect(t *testing.T, n int) []Line {
	t.Helper()
	timer := time.AfterFunc(waitTimeout, func() {
		c.mu.Lock()
		c.lines = append(c.lines, make([]Line, n)...) // wake with junk; checkSeq fails
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.waitFor(n)
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Line(nil), c.lines[:n]...)
}
