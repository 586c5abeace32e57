//go:build cgo

package backend

import (
	"context"
	"fmt"
	"time"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

// The libsystemd reader below is the tests' reference for what the
// journal holds: ReadJournalFiles, its journalctl fallbacks and the regex
// tester must give the entries, order, texts and times it gives.

// journalFallback reads what JournalFileReader hands back through a
// libsystemd reader of the same files and matches, opened when first
// needed.
type journalFallback struct {
	paths, match []string
	dec          Decoder
	jr           *sdjournal.Journal
	er           *EntryReader
}

func (fb *journalFallback) open() error {
	if fb.jr != nil {
		return nil
	}
	jr, err := sdjournal.NewJournalFromFiles(fb.paths...)
	if err != nil {
		return fmt.Errorf("systemd journal: %w", err)
	}
	if err := jr.SetDataThreshold(0); err != nil {
		jr.Close()
		return fmt.Errorf("systemd journal: %w", err)
	}
	groups, err := splitMatch(fb.match)
	if err != nil {
		jr.Close()
		return err
	}
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		for _, term := range g {
			if err := jr.AddMatch(term); err != nil {
				jr.Close()
				return fmt.Errorf("journal match %q: %w", term, err)
			}
		}
		if err := jr.AddDisjunction(); err != nil {
			jr.Close()
			return fmt.Errorf("journal match: %w", err)
		}
	}
	fb.jr, fb.er = jr, NewEntryReader(jr, fb.dec)
	return nil
}

func (fb *journalFallback) close() {
	if fb.jr != nil {
		fb.jr.Close()
	}
}

// read reads the entry at cursor if it satisfies the matches: seeking to
// it and stepping once lands on it only then. An unreadable entry is
// skipped (ok false), as the libsystemd path does.
func (fb *journalFallback) read(cursor string) (text string, t time.Time, ok bool, err error) {
	if err := fb.open(); err != nil {
		return "", time.Time{}, false, err
	}
	if err := fb.jr.SeekCursor(cursor); err != nil {
		return "", time.Time{}, false, fmt.Errorf("systemd journal: %w", err)
	}
	if n, err := fb.jr.Next(); err != nil || n == 0 {
		return "", time.Time{}, false, err
	}
	if c, err := fb.jr.GetCursor(); err != nil || c != cursor {
		return "", time.Time{}, false, nil // a later entry: the one at cursor does not match
	}
	text, t, _, err = fb.er.Read()
	return text, t, err == nil, nil
}

// rest reads every entry after cursor ("" for all).
func (fb *journalFallback) rest(ctx context.Context, cursor string, emit func(string, time.Time)) error {
	if err := fb.open(); err != nil {
		return err
	}
	var err error
	if cursor == "" {
		err = fb.jr.SeekHead()
	} else {
		err = fb.jr.SeekCursor(cursor)
	}
	if err != nil {
		return fmt.Errorf("systemd journal: %w", err)
	}
	for first := true; ctx.Err() == nil; first = false {
		n, err := fb.jr.Next()
		if err != nil {
			return fmt.Errorf("systemd journal: %w", err)
		}
		if n == 0 {
			return nil
		}
		if first && cursor != "" {
			if c, err := fb.jr.GetCursor(); err == nil && c == cursor {
				continue // the entry already emitted
			}
		}
		if text, tm, _, err := fb.er.Read(); err == nil {
			emit(text, tm)
		}
	}
	return ctx.Err()
}
