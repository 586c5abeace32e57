package backend

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// maxFirstLine bounds how much of a file is read to hash its first line.
const maxFirstLine = 1 << 20

// tailed is one monitored file. Fields in the first group are shared with
// the API methods; the rest belong to the goroutine running Run.
type tailed struct {
	name     string
	optional bool
	pos      atomic.Int64 // offset of the next unread byte

	mu   sync.Mutex
	hash string // hex SHA-1 of the first line, "" if unknown
	ino  uint64 // inode the position refers to, 0 if none yet

	removed atomic.Bool

	// Owned by Run.
	f        *os.File
	fIno     uint64
	last     statKey
	missing  int       // consecutive polls that found no file at name
	skipping bool      // discarding the rest of an over-long line
	warned   bool      // "unable to open" already logged for this episode
	live     bool      // end of file reached once (or tail): new lines are live
	since    time.Time // before the first read, skip lines older than this
}

type statKey struct {
	mtime time.Time
	ino   uint64
	size  int64
}

func keyOf(fi os.FileInfo) statKey {
	return statKey{mtime: fi.ModTime(), ino: inodeOf(fi), size: fi.Size()}
}

func inodeOf(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}

func (t *tailed) position() Position {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Position{File: t.name, Hash: t.hash, Pos: t.pos.Load()}
}

func (t *tailed) setHash(h string) {
	t.mu.Lock()
	t.hash = h
	t.mu.Unlock()
}

func (t *tailed) getHash() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.hash
}

func (t *tailed) setIno(ino uint64) {
	t.mu.Lock()
	t.ino = ino
	t.mu.Unlock()
}

func (t *tailed) getIno() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ino
}

// closeFile drops the open descriptor, if any.
func (t *tailed) closeFile() {
	if t.f != nil {
		t.f.Close()
		t.f = nil
		t.fIno = 0
	}
	t.skipping = false
}

// firstLineHash returns the hex SHA-1 of the first line of f including its
// newline, or "" if the file has no complete first line yet.
func firstLineHash(f io.ReaderAt) (string, error) {
	buf := make([]byte, 0, 4096)
	for len(buf) < maxFirstLine {
		chunk := buf[len(buf):cap(buf)]
		n, err := f.ReadAt(chunk, int64(len(buf)))
		for i, c := range chunk[:n] {
			if c == '\n' {
				sum := sha1.Sum(buf[:len(buf)+i+1])
				return hex.EncodeToString(sum[:]), nil
			}
		}
		buf = buf[:len(buf)+n]
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", nil
			}
			return "", err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, make([]byte, cap(buf))...)[:len(buf)]
		}
	}
	return "", nil
}

// fileIdentity opens name once and returns its inode, size and first-line
// hash, which AddPath records.
func fileIdentity(name string) (ino uint64, size int64, hash string, err error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, 0, "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, 0, "", fmt.Errorf("stat %q: %w", name, err)
	}
	hash, err = firstLineHash(f)
	if err != nil {
		return 0, 0, "", fmt.Errorf("read first line of %q: %w", name, err)
	}
	return inodeOf(fi), fi.Size(), hash, nil
}
