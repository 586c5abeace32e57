//go:build cgo

package backend

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

// NewJournal checks the options and that the journal can be opened; Run
// opens its own reader each time it is called.
func NewJournal(opts JournalOptions) (*Journal, error) {
	j, err := newJournalState(opts)
	if err != nil {
		return nil, fmt.Errorf("backend systemd: %w", err)
	}
	jr, err := j.open()
	if err != nil {
		return nil, fmt.Errorf("backend systemd: %w", err)
	}
	jr.Close()
	return j, nil
}

// open picks the reader the options ask for.
func (j *Journal) open() (*sdjournal.Journal, error) {
	src, err := j.opts.source()
	switch {
	case err != nil:
		return nil, err
	case src.files != nil:
		return sdjournal.NewJournalFromFiles(src.files...)
	case src.dir != "":
		return sdjournal.NewJournalFromDir(src.dir)
	}
	return sdjournal.NewJournal()
}

// Run reads entries from the start position (or after the last entry a
// previous Run emitted) and sends them until ctx is cancelled, then returns
// nil. The reader is opened here and closed on return.
func (j *Journal) Run(ctx context.Context, out chan<- Line) error {
	if !j.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer j.running.Store(false)
	jr, err := j.open()
	if err != nil {
		return fmt.Errorf("backend systemd: %w", err)
	}
	defer jr.Close()
	if err := jr.SetDataThreshold(0); err != nil {
		return fmt.Errorf("backend systemd: %w", err)
	}
	r := &journalRun{j: j, jr: jr, out: out, gen: ^uint64(0)}
	if err := r.seek(); err != nil {
		return fmt.Errorf("backend systemd: %w", err)
	}
	err = r.loop(ctx)
	if errors.Is(err, errStopped) || ctx.Err() != nil {
		return nil
	}
	return err
}

// journalRun is the state of one Run.
type journalRun struct {
	j     *Journal
	jr    *sdjournal.Journal
	out   chan<- Line
	gen   uint64 // match generation applied to jr
	live  bool   // caught up with the journal (fail2ban's in operation)
	er    *EntryReader
	erDec *Decoder // decoder er was built with
}

// seek positions the reader: after the last emitted entry on a restart,
// else at Start (fail2ban's max(saved time, now - findtime)), else now.
func (r *journalRun) seek() error {
	if c := r.j.lastCursor(); c != "" {
		return r.jr.SeekCursor(c)
	}
	start := r.j.startTime()
	if start.IsZero() {
		start = r.j.opts.Now()
	}
	return r.jr.SeekRealtimeUsec(uint64(start.UnixMicro()))
}

func (r *journalRun) loop(ctx context.Context) error {
	for ctx.Err() == nil {
		if err := r.applyMatches(); err != nil {
			return err
		}
		n, err := r.jr.Next()
		if err != nil {
			return fmt.Errorf("read journal: %w", err)
		}
		if n == 0 {
			r.live = true
			r.wait()
			continue
		}
		if err := r.emit(ctx); err != nil {
			return err
		}
	}
	return nil
}

// wait blocks until the journal changes or the wait interval passes. After
// rotation or vacuuming (INVALIDATE) it steps back and forth once so that the
// position is not left in a removed file (fail2ban gh-3396).
func (r *journalRun) wait() {
	if r.jr.Wait(r.j.opts.Wait) != sdjournal.SD_JOURNAL_INVALIDATE {
		return
	}
	if n, err := r.jr.Previous(); err == nil && n > 0 {
		r.jr.Next()
	}
}

// applyMatches reinstalls the match groups when they changed.
func (r *journalRun) applyMatches() error {
	groups, gen := r.j.matchSnapshot()
	if gen == r.gen {
		return nil
	}
	r.jr.FlushMatches()
	for _, g := range groups {
		for _, term := range g {
			if err := r.jr.AddMatch(term); err != nil {
				return fmt.Errorf("journal match %q: %w", term, err)
			}
		}
		if err := r.jr.AddDisjunction(); err != nil {
			return fmt.Errorf("journal match: %w", err)
		}
	}
	r.gen = gen
	return nil
}

// emit turns the current entry into a Line and sends it; the entry the
// previous Run stopped at (seen again after SeekCursor) is skipped.
func (r *journalRun) emit(ctx context.Context) error {
	cursor, err := r.jr.GetCursor()
	if err != nil {
		r.j.log.Warn("reading journal entry", logKeyErr, err)
		return nil
	}
	if cursor == r.j.lastCursor() {
		return nil
	}
	text, tm, realtime, err := r.reader().Read()
	if err != nil {
		r.j.log.Warn("reading journal entry", logKeyErr, err)
		return nil
	}
	line := Line{Text: text, Time: tm, Pos: int64(realtime)}
	if !r.live && !line.Time.Before(r.j.opts.Now().Add(-time.Second)) {
		r.live = true // reached "now"
	}
	line.Live = r.live
	select {
	case r.out <- line:
		r.j.setLast(line.Time, cursor)
		return nil
	case <-ctx.Done():
		return errStopped
	}
}

// reader returns the entry reader for the current decoder, rebuilt when
// SetEncoding changed it.
func (r *journalRun) reader() *EntryReader {
	if dec := r.j.decoder.Load(); r.er == nil || r.erDec != dec {
		r.erDec = dec
		r.er = NewEntryReader(r.jr, *dec)
	}
	return r.er
}
