package backend

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Mode selects how a Files backend notices that a file changed.
type Mode int

const (
	// ModeInotify watches the files' directories with inotify (fail2ban's
	// "pyinotify" and "auto"), falling back to polling if inotify fails.
	ModeInotify Mode = iota
	// ModePolling stats every file each PollInterval (fail2ban's "polling").
	ModePolling
)

// Defaults for FilesOptions.
const (
	// DefaultPollInterval matches fail2ban's sleeptime: a change is seen
	// within about a second on average.
	DefaultPollInterval = 1 * time.Second
	// DefaultMaxLineLen caps a line; the rest up to its newline is dropped.
	DefaultMaxLineLen = 64 << 10
)

// FilesOptions configures a Files backend.
type FilesOptions struct {
	Mode Mode
	// PollInterval is the stat interval in polling mode, and in inotify
	// mode the interval of the safety poll that catches missed events and
	// files whose directory does not exist yet. Zero means the default.
	PollInterval time.Duration
	// Encoding is the logencoding ("auto", "utf-8", "latin-1", ...).
	// Empty means "auto".
	Encoding string
	// MaxLineLen caps the length of an emitted line. Zero means the default.
	MaxLineLen int
	// Logger receives rotation notices and read errors. Nil discards.
	Logger *slog.Logger
	// DateOf returns the time of a log line (the jail's date detector).
	// With it, a head path with PathSpec.Since set is bisected to its
	// first line at or after Since before reading, like fail2ban's
	// seekToTime, so that a big old log is not read in full at start.
	DateOf func(line string) (time.Time, bool)
}

// PathSpec describes one file given to AddPath (fail2ban's "addlogpath FILE
// head|tail").
type PathSpec struct {
	Name string
	// Tail starts at the current end of the file; otherwise reading
	// starts at 0 or at Resume.
	Tail bool
	// Resume is the position stored in the database. It is used when its
	// Hash equals the file's current first-line hash (and Tail is false).
	Resume *Position
	// Optional allows a file that does not exist yet; it is read from the
	// start once it appears. fail2ban requires the file to exist.
	Optional bool
	// Since skips, on the first read of a head path, the lines older than
	// it (fail2ban uses now - findtime); needs FilesOptions.DateOf.
	Since time.Time
}

// Files follows a set of log files. The zero value is not usable; use
// NewFiles. All methods are safe for concurrent use.
type Files struct {
	opts    FilesOptions
	log     *slog.Logger
	decoder atomic.Pointer[Decoder]
	encName atomic.Pointer[string]
	running atomic.Bool
	changed chan struct{}
	// seekWindow ends the start-time bisection; tests make it small.
	seekWindow int64

	mu    sync.Mutex
	files []*tailed
}

// NewFiles returns a file backend with no paths.
func NewFiles(opts FilesOptions) (*Files, error) {
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.MaxLineLen <= 0 {
		opts.MaxLineLen = DefaultMaxLineLen
	}
	if opts.Encoding == "" {
		opts.Encoding = "auto"
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	fs := &Files{opts: opts, log: log, changed: make(chan struct{}, 1), seekWindow: defaultSeekWindow}
	if err := fs.SetEncoding(opts.Encoding); err != nil {
		return nil, fmt.Errorf("logencoding: %w", err)
	}
	return fs, nil
}

// SetEncoding changes the logencoding; it applies from the next read.
func (fs *Files) SetEncoding(name string) error {
	resolved, err := ResolveEncoding(name)
	if err != nil {
		return err
	}
	dec, err := NewDecoder(resolved)
	if err != nil {
		return err
	}
	fs.decoder.Store(&dec)
	fs.encName.Store(&resolved)
	return nil
}

// Encoding returns the resolved logencoding ("auto" shows as the locale's).
func (fs *Files) Encoding() string { return *fs.encName.Load() }

func (fs *Files) currentDecoder() Decoder { return *fs.decoder.Load() }

// AddPath starts monitoring a file. The file must exist unless
// spec.Optional is set; its inode and first-line hash are recorded now.
func (fs *Files) AddPath(spec PathSpec) error {
	t := &tailed{name: spec.Name, optional: spec.Optional, live: spec.Tail}
	if !spec.Tail {
		t.since = spec.Since
	}
	ino, size, hash, err := fileIdentity(spec.Name)
	switch {
	case err == nil:
		t.ino, t.hash = ino, hash
		if spec.Tail {
			t.pos.Store(size)
		} else if r := spec.Resume; r != nil && r.Hash == hash && r.Pos > 0 {
			t.pos.Store(r.Pos)
		}
	case spec.Optional && errors.Is(err, os.ErrNotExist):
	default:
		return fmt.Errorf("addlogpath %q: %w", spec.Name, err)
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, o := range fs.files {
		if o.name == spec.Name {
			return fmt.Errorf("addlogpath %q: %w", spec.Name, ErrDuplicatePath)
		}
	}
	fs.files = append(fs.files, t)
	fs.notify()
	return nil
}

// RemovePath stops monitoring a file and reports whether it was monitored.
func (fs *Files) RemovePath(name string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, t := range fs.files {
		if t.name == name {
			t.removed.Store(true)
			fs.files = append(fs.files[:i:i], fs.files[i+1:]...)
			fs.notify()
			return true
		}
	}
	return false
}

func (fs *Files) notify() {
	select {
	case fs.changed <- struct{}{}:
	default:
	}
}

// Paths lists the monitored files in the order they were added.
func (fs *Files) Paths() []string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]string, len(fs.files))
	for i, t := range fs.files {
		out[i] = t.name
	}
	return out
}

// Positions reports, for every monitored file, what fail2ban stores in the
// database: the first-line hash and the offset after the last emitted line.
// A position is stored just after the receiver has taken the line, so it
// may trail by the line being handed over; a caller that must know exactly
// what it processed keeps Line.Pos instead.
func (fs *Files) Positions() []Position {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]Position, len(fs.files))
	for i, t := range fs.files {
		out[i] = t.position()
	}
	return out
}

func (fs *Files) snapshot() []*tailed {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]*tailed(nil), fs.files...)
}

// Run reads the monitored files and sends their new lines to out until ctx
// is cancelled, then returns nil. Every file is read once at start. It never
// closes out; open files are closed on return, positions are kept, and a
// later Run continues from them.
func (fs *Files) Run(ctx context.Context, out chan<- Line) error {
	if !fs.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer fs.running.Store(false)
	r := newReader(ctx, out, fs.currentDecoder, fs.opts.MaxLineLen, fs.log)
	r.dateOf, r.seekWindow = fs.opts.DateOf, fs.seekWindow
	l := &loop{fs: fs, r: r}
	defer l.close()
	err := l.run(ctx)
	if errors.Is(err, errStopped) || ctx.Err() != nil {
		return nil
	}
	return err
}
