//go:build cgo

package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

// ErrJournalNotNative is returned by ReadJournalFiles, before it emits
// anything, when the files cannot be read without libsystemd at all; the
// caller then reads them through libsystemd itself.
var ErrJournalNotNative = errors.New("journal files not readable natively")

// ReadJournalFiles reads every entry of the journal files at paths that
// satisfies match (FIELD=value terms, "+" between OR groups), from the
// first to the current end, in libsystemd's order, and calls emit with
// each entry's text and failure time: the entries and the text a
// libsystemd reader with EntryReader gives. It reads the files directly
// (JournalFileReader) and asks libsystemd only for what that cannot
// decode.
func ReadJournalFiles(ctx context.Context, paths, match []string, dec Decoder, emit func(string, time.Time)) error {
	nr, err := OpenJournalFileReader(paths, match, dec)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrJournalNotNative, err)
	}
	defer nr.Close()
	fb := &journalFallback{paths: paths, match: match, dec: dec}
	defer fb.close()
	for ctx.Err() == nil {
		text, tm, _, err := nr.Next()
		var fe *JournalFallbackError
		switch {
		case err == nil:
			emit(text, tm)
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &fe) && fe.Rest:
			return fb.rest(ctx, fe.Cursor, emit)
		case errors.As(err, &fe):
			if err := fb.one(fe.Cursor, emit); err != nil {
				return err
			}
		default:
			return err
		}
	}
	return ctx.Err()
}

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

// one reads the entry at cursor if it satisfies the matches: seeking to it
// and stepping once lands on it only then.
func (fb *journalFallback) one(cursor string, emit func(string, time.Time)) error {
	if err := fb.open(); err != nil {
		return err
	}
	if err := fb.jr.SeekCursor(cursor); err != nil {
		return fmt.Errorf("systemd journal: %w", err)
	}
	if n, err := fb.jr.Next(); err != nil || n == 0 {
		return err
	}
	if c, err := fb.jr.GetCursor(); err != nil || c != cursor {
		return nil // a later entry: the one at cursor does not match
	}
	text, tm, _, err := fb.er.Read()
	if err != nil {
		return nil // unreadable entries are skipped, as the libsystemd path does
	}
	emit(text, tm)
	return nil
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
