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
	// Entries with compressed data are read by a libsystemd reader of their
	// own file only: seeking to a cursor among several files can land on
	// another file's entry when the files disagree on order.
	single := map[string]*journalFallback{}
	defer func() {
		for _, f := range single {
			f.close()
		}
	}()
	nr.ReadCompressed = func(path, cursor string) (string, time.Time, bool, error) {
		f := single[path]
		if f == nil {
			f = &journalFallback{paths: []string{path}, match: match, dec: dec}
			single[path] = f
		}
		return f.read(cursor)
	}
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
		default: // with ReadCompressed set, no single entry is handed back
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
