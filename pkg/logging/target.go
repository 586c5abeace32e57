package logging

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// Target kinds.
const (
	KindStdout  = "STDOUT"
	KindStderr  = "STDERR"
	KindSysout  = "SYSOUT" // stdout without timestamps
	KindSyslog  = "SYSLOG"
	KindJournal = "SYSTEMD-JOURNAL"
	KindFile    = "FILE"
)

// Default socket paths.
const (
	DefaultSyslogSocket  = "/dev/log"
	DefaultJournalSocket = "/run/systemd/journal/socket"
)

// TargetOptions are the settings a target needs besides its spec.
type TargetOptions struct {
	// SyslogSocket is syslogsocket: "auto" (or "") for /dev/log, or a path.
	SyslogSocket string
	// JournalSocket overrides DefaultJournalSocket (tests).
	JournalSocket string
	// Stdout and Stderr override os.Stdout and os.Stderr (tests).
	Stdout, Stderr io.Writer
	// FlushDelay, when positive, buffers a file target's lines and writes
	// them at most this long after the first unwritten one (and at Reopen
	// and Close). Under a flood of failures one write(2) per line is half
	// the server's work; a few milliseconds of delay cost nothing to a
	// reader such as the recidive jail. Zero writes every line at once.
	FlushDelay time.Duration
}

// Target is where log lines go: a stream, a file, syslog or the journal.
type Target struct {
	name   string // the target as given, without options
	kind   string
	opts   map[string]string
	format format

	mu       sync.Mutex
	w        io.Writer
	file     *os.File
	buf      *bufio.Writer // file buffer when FlushDelay > 0
	delay    time.Duration
	pending  bool // buf holds lines and a flush is scheduled
	conn     net.Conn
	facility int
	line     []byte // the line being written, reused under mu
}

// keepLineBuffer is the largest line buffer a Target keeps for reuse.
const keepLineBuffer = 64 << 10

// keepLine keeps b's storage for the next line, unless one huge message
// grew it; the caller holds t.mu.
func (t *Target) keepLine(b []byte) {
	t.line = b[:0]
	if cap(b) > keepLineBuffer {
		t.line = nil
	}
}

// ParseTargetSpec splits "SYSLOG[facility=AUTH, padding=on]" into the
// target and its options, as fail2ban's extractOptions does.
func ParseTargetSpec(spec string) (string, map[string]string, error) {
	spec = strings.TrimSpace(spec)
	opts := map[string]string{}
	i := strings.IndexByte(spec, '[')
	if i < 0 || !strings.HasSuffix(spec, "]") {
		if spec == "" {
			return "", nil, errors.New("empty log target")
		}
		return spec, opts, nil
	}
	for _, kv := range strings.Split(spec[i+1:len(spec)-1], ",") {
		if strings.TrimSpace(kv) == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return "", nil, fmt.Errorf("log target %q: option %q has no value", spec, kv)
		}
		opts[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	name := strings.TrimSpace(spec[:i])
	if name == "" {
		return "", nil, fmt.Errorf("log target %q: empty target", spec)
	}
	return name, opts, nil
}

// OpenTarget opens a logtarget: STDOUT, STDERR, SYSOUT, SYSLOG,
// SYSTEMD-JOURNAL (any case) or a file path, optionally followed by
// [format=…, datetime=on|off, padding=on|off, facility=…].
func OpenTarget(spec string, o TargetOptions) (*Target, error) {
	name, opts, err := ParseTargetSpec(spec)
	if err != nil {
		return nil, err
	}
	t := &Target{name: name, kind: strings.ToUpper(name), opts: opts, delay: o.FlushDelay}
	if err := t.open(o); err != nil {
		return nil, fmt.Errorf("log target %q: %w", name, err)
	}
	t.format = compileFormat(t.layout())
	return t, nil
}

func (t *Target) open(o TargetOptions) error {
	switch t.kind {
	case KindStdout, KindSysout:
		t.w = orWriter(o.Stdout, os.Stdout)
	case KindStderr:
		t.w = orWriter(o.Stderr, os.Stderr)
	case KindSyslog:
		return t.openSyslog(o.SyslogSocket)
	case KindJournal:
		return t.openJournal(o.JournalSocket)
	default:
		t.kind = KindFile
		return t.openFile()
	}
	return nil
}

func orWriter(w, def io.Writer) io.Writer {
	if w != nil {
		return w
	}
	return def
}

// layout picks the format: the format= option, else fail2ban's default
// with the datetime (off for SYSLOG and SYSOUT) and padding (off for
// SYSLOG) switches.
func (t *Target) layout() string {
	if f := t.opts["format"]; f != "" {
		return f
	}
	datetime := t.kind != KindSyslog && t.kind != KindSysout
	if v, ok := t.opts["datetime"]; ok {
		datetime = asBool(v)
	}
	padding := t.kind != KindSyslog
	if v, ok := t.opts["padding"]; ok {
		padding = asBool(v)
	}
	return DefaultFormat(datetime, padding)
}

// asBool is fail2ban's _as_bool: true for true/yes/on/1 in any case.
func asBool(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "on", "true", "yes":
		return true
	}
	return false
}

func (t *Target) openFile() error {
	f, err := os.OpenFile(t.name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	t.setFile(f)
	return nil
}

// setFile makes f the destination, buffered when a flush delay is set;
// the caller holds t.mu or owns t exclusively.
func (t *Target) setFile(f *os.File) {
	t.file, t.w = f, f
	if t.delay > 0 {
		t.buf = bufio.NewWriterSize(f, 64<<10)
		t.w = t.buf
	}
}

// flushLocked writes buffered lines out; the caller holds t.mu.
func (t *Target) flushLocked() error {
	t.pending = false
	if t.buf == nil {
		return nil
	}
	return t.buf.Flush()
}

// Flush writes out buffered lines now.
func (t *Target) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.flushLocked()
}

// Name returns the target as given (a path, or the upper-cased kind's
// original spelling), without options.
func (t *Target) Name() string { return t.name }

// Kind returns STDOUT, STDERR, SYSOUT, SYSLOG, SYSTEMD-JOURNAL or FILE.
func (t *Target) Kind() string { return t.kind }

// Reopen reopens a file target (flushlogs, SIGUSR1/SIGHUP after
// logrotate moved the file); other targets are left as they are.
func (t *Target) Reopen() error {
	if t.kind != KindFile {
		return nil
	}
	f, err := os.OpenFile(t.name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("reopen log file %q: %w", t.name, err)
	}
	t.mu.Lock()
	t.flushLocked()
	old := t.file
	t.setFile(f)
	t.mu.Unlock()
	return old.Close()
}

// Close releases a file or socket.
func (t *Target) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.file != nil:
		t.flushLocked()
		return t.file.Close()
	case t.conn != nil:
		return t.conn.Close()
	}
	return nil
}

func (t *Target) write(e *entry) error {
	switch t.kind {
	case KindSyslog:
		return t.writeSyslog(e)
	case KindJournal:
		return t.writeJournal(e)
	}
	f := e.fields()
	t.mu.Lock()
	defer t.mu.Unlock()
	// Rendered under the lock into one reused buffer: no allocation per
	// line, and lines are written whole and in order anyway.
	b := t.format.appendTo(t.line[:0], &f)
	b = append(b, '\n')
	_, err := t.w.Write(b)
	t.keepLine(b)
	if t.buf != nil && !t.pending {
		t.pending = true
		time.AfterFunc(t.delay, func() { t.Flush() })
	}
	return err
}
