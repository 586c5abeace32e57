package store

import (
	"log/slog"
	"time"
)

// Defaults, as fail2ban's (dbpurgeage 1d, dbmaxmatches 10).
const (
	DefaultPurgeAge   = 24 * time.Hour
	DefaultMaxMatches = 10
	defaultQueueSize  = 8192
	defaultMaxBatch   = 10000
)

// Options configures Open.
type Options struct {
	// Path is the database file, or ":memory:" for a private in-memory one.
	Path string
	// PurgeAge is dbpurgeage: Purge drops history older than this.
	// Zero means DefaultPurgeAge; use SetPurgeAge for an explicit zero.
	PurgeAge time.Duration
	// MaxMatches is dbmaxmatches: how many matches of a ban are stored.
	// Zero means DefaultMaxMatches; SetMaxMatches(0) drops matches entirely.
	MaxMatches int
	// Logger receives store diagnostics; nil discards them.
	Logger *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// QueueSize bounds the number of queued writes before AddBan blocks.
	QueueSize int
	// MaxBatch bounds how many queued writes share one transaction.
	MaxBatch int
}

// DefaultOptions returns the options fail2ban uses, for path.
func DefaultOptions(path string) Options {
	return Options{Path: path, PurgeAge: DefaultPurgeAge, MaxMatches: DefaultMaxMatches}
}

func (o *Options) setDefaults() {
	if o.PurgeAge == 0 {
		o.PurgeAge = DefaultPurgeAge
	}
	if o.MaxMatches == 0 {
		o.MaxMatches = DefaultMaxMatches
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.QueueSize <= 0 {
		o.QueueSize = defaultQueueSize
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = defaultMaxBatch
	}
}
