package backend

import (
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Journal reads the systemd journal (fail2ban's "systemd" backend). Create
// it with NewJournal; all methods are safe for concurrent use. In builds
// without cgo NewJournal returns ErrNoJournal.
type Journal struct {
	opts    JournalOptions
	log     *slog.Logger
	decoder atomic.Pointer[Decoder]
	encName atomic.Pointer[string]
	running atomic.Bool

	mu       sync.Mutex
	matches  [][]string
	matchGen uint64 // bumped on every change, so Run reapplies them
	last     time.Time
	cursor   string    // cursor of the last emitted entry, for restarts
	start    time.Time // where the first Run begins (JournalOptions.Start)
}

func newJournalState(opts JournalOptions) (*Journal, error) {
	if opts.Encoding == "" {
		opts.Encoding = "auto"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Wait <= 0 {
		opts.Wait = DefaultJournalWait
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	j := &Journal{opts: opts, log: log, start: opts.Start}
	if err := j.SetEncoding(opts.Encoding); err != nil {
		return nil, err
	}
	return j, nil
}

// SetEncoding changes the encoding used for fields that are not UTF-8.
func (j *Journal) SetEncoding(name string) error {
	resolved, err := ResolveEncoding(name)
	if err != nil {
		return err
	}
	dec, err := NewDecoder(resolved)
	if err != nil {
		return err
	}
	j.decoder.Store(&dec)
	j.encName.Store(&resolved)
	return nil
}

// Encoding returns the resolved logencoding.
func (j *Journal) Encoding() string { return *j.encName.Load() }

// AddMatch adds journalctl-style terms: FIELD=value terms are ANDed, "+"
// starts a new group, groups (and separate calls) are ORed.
func (j *Journal) AddMatch(terms []string) error {
	groups, err := splitMatch(terms)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, g := range groups {
		if len(g) > 0 {
			j.matches = append(j.matches, g)
		}
	}
	j.matchGen++
	return nil
}

// DelMatch removes one group added before (exactly as given, without "+");
// no terms removes every match.
func (j *Journal) DelMatch(terms []string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(terms) == 0 {
		j.matches = nil
		j.matchGen++
		return nil
	}
	i := slices.IndexFunc(j.matches, func(g []string) bool { return slices.Equal(g, terms) })
	if i < 0 {
		return &MatchNotFoundError{Terms: slices.Clone(terms)}
	}
	j.matches = slices.Delete(j.matches, i, i+1)
	j.matchGen++
	return nil
}

// Matches returns the match groups ("get <jail> journalmatch").
func (j *Journal) Matches() [][]string {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([][]string, len(j.matches))
	for i, g := range j.matches {
		out[i] = slices.Clone(g)
	}
	return out
}

func (j *Journal) matchSnapshot() ([][]string, uint64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.matches), j.matchGen
}

// Last returns the time of the last emitted entry (zero if none), which
// fail2ban stores as the journal position (JournalDBPath).
func (j *Journal) Last() time.Time {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.last
}

func (j *Journal) setLast(t time.Time, cursor string) {
	j.mu.Lock()
	j.last, j.cursor = t, cursor
	j.mu.Unlock()
}

// SetStart changes where the next Run begins when no entry has been emitted
// yet: the jail sets max(time saved in the database, now - findtime) when
// it starts, as fail2ban does.
func (j *Journal) SetStart(t time.Time) {
	j.mu.Lock()
	j.start = t
	j.mu.Unlock()
}

func (j *Journal) startTime() time.Time {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.start
}

func (j *Journal) lastCursor() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.cursor
}
