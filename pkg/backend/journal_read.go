package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// ErrJournalNotNative is returned by ReadJournalFiles, before it emits
// anything, when the files cannot be read directly at all; the caller then
// reads them with ReadJournalctl.
var ErrJournalNotNative = errors.New("journal files not readable natively")

// ReadJournalFiles reads every entry of the journal files at paths that
// satisfies match (FIELD=value terms, "+" between OR groups), from the
// first to the current end, in libsystemd's order, and calls emit with
// each entry's text and failure time: the entries and the text a
// libsystemd reader with EntryReader gives. It reads the files directly
// (JournalFileReader) and asks journalctl only for what that cannot
// decode.
func ReadJournalFiles(ctx context.Context, paths, match []string, dec Decoder, emit func(string, time.Time)) error {
	nr, err := OpenJournalFileReader(paths, match, dec)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrJournalNotNative, err)
	}
	defer nr.Close()
	// Entries with compressed data are read by a journalctl of their own
	// file only: seeking to a cursor among several files can land on
	// another file's entry when the files disagree on order. Each file's
	// journalctl runs once, read forward as the walk reaches its entries.
	single := map[string]*fileExport{}
	defer func() {
		for _, f := range single {
			f.close()
		}
	}()
	nr.ReadCompressed = func(path, cursor string) (string, time.Time, bool, error) {
		f := single[path]
		if f == nil {
			f = &fileExport{ctx: ctx, path: path, match: match, dec: dec}
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
			return readJournalctl(ctx, fileArgs(paths), fe.Cursor, match, dec, emit)
		default: // with ReadCompressed set, no single entry is handed back
			return err
		}
	}
	return ctx.Err()
}

// fileExport reads the entries of one journal file that JournalFileReader
// asks for by cursor, in the file's order, from one journalctl run over
// that file with the same matches.
type fileExport struct {
	ctx   context.Context
	path  string
	match []string
	dec   Decoder
	x     *exportStream
	e     exportEntry
	have  bool // e holds an entry read ahead, not asked for yet
	done  bool // the run ended
	buf   []byte
}

// read returns the entry at cursor; ok is false when it fails the
// matches (journalctl skipped it).
func (f *fileExport) read(cursor string) (text string, t time.Time, ok bool, err error) {
	want, valid := cursorSeqnum(cursor)
	if !valid {
		return "", time.Time{}, false, fmt.Errorf("systemd journal: cursor %q has no sequence number", cursor)
	}
	if f.x == nil && !f.done {
		if f.x, err = startExport(f.ctx, fileArgs([]string{f.path}), f.match); err != nil {
			f.done = true
			return "", time.Time{}, false, err
		}
	}
	for {
		if !f.have {
			if f.done {
				return "", time.Time{}, false, nil
			}
			if err := f.x.next(&f.e); err != nil {
				f.done = true
				if errors.Is(err, io.EOF) {
					err = f.x.close()
				} else {
					f.x.close()
				}
				return "", time.Time{}, false, err
			}
			f.have = true
		}
		if f.e.cursor == cursor {
			f.have = false
			text, t, f.buf = f.e.line(f.buf, f.dec)
			return text, t, true, nil
		}
		n, valid := cursorSeqnum(f.e.cursor)
		if !valid {
			return "", time.Time{}, false, fmt.Errorf("systemd journal: journalctl cursor %q has no sequence number", f.e.cursor)
		}
		if n > want {
			return "", time.Time{}, false, nil // passed it: it fails the matches
		}
		f.have = false // an entry the walk read itself
	}
}

func (f *fileExport) close() {
	if f.x != nil && !f.done {
		f.x.close()
	}
	f.done = true
}
