package backend

import (
	"context"
	"errors"
	"time"
)

// Line is one complete log line produced by a backend.
type Line struct {
	// Text is the decoded line without its trailing "\r\n" characters.
	// For the journal it is built from the entry's fields as fail2ban
	// builds it ("host ident[pid]: message").
	Text string
	// File is the monitored path the line was read from; empty for the
	// journal.
	File string
	// Time is zero for files (the filter detects the date in Text) and
	// the entry's own timestamp for the journal.
	Time time.Time
	// Pos is the offset just past the line's newline in File, i.e. the
	// position to resume from once this line has been processed. For
	// the journal it is the entry's time in microseconds since the epoch.
	Pos int64
	// Live is fail2ban's "in operation": false while old content is being
	// caught up on (a file read from its start until its end is first
	// reached, journal entries older than now at start), true for lines
	// that arrived while the backend was watching. fail2ban only treats
	// lines without a date as "now", and warns about odd timestamps, when
	// live.
	Live bool
}

// Position is what fail2ban stores in the "logs" table for one file: the path,
// the hex SHA-1 (see the package doc) of the file's first line including its terminator ("" while the
// first line is incomplete) and the offset of the next unread byte.
type Position struct {
	File string
	Hash string
	Pos  int64
}

// Streamer is the contract every backend meets (crowdsec's
// RestartableStreamer): Run sends lines to out until ctx is cancelled and then
// returns nil; it never closes out and never retries internally, so an error
// return means the caller decides whether and when to call Run again. Run may
// be called again after it has returned; it resumes where it stopped.
type Streamer interface {
	Run(ctx context.Context, out chan<- Line) error
}

var (
	// ErrRunning is returned by Run when the backend is already running.
	ErrRunning = errors.New("backend already running")
	// ErrDuplicatePath is returned by AddPath for a path already monitored.
	ErrDuplicatePath = errors.New("path already monitored")
	// ErrNoJournal is returned by NewJournal in builds without cgo.
	ErrNoJournal = errors.New("systemd journal support not compiled in (binary built without cgo)")
)

// Log attribute keys, kept in one place so that log lines stay greppable.
const (
	logKeyFile   = "file"
	logKeyReason = "reason"
	logKeyErr    = "err"
)
