package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/backend"
)

// readJournal reads the regex tester's "systemd-journal[…]" LOG from its
// first entry to its current end (fail2ban-regex does not follow the
// journal): the files directly when it can, else through journalctl, so
// that the client links no C library (libsystemd would cost every run of
// it, -d included, a millisecond of dynamic loading at start).
func readJournal(ctx context.Context, args map[string]string, match []string, encoding string, emit func(string, time.Time)) error {
	opts, err := backend.ParseJournalOptions(args)
	if err != nil {
		return err
	}
	dec, err := backend.NewDecoder(encoding)
	if err != nil {
		return err
	}
	return pipelined(ctx, emit, func(ctx context.Context, emit func(string, time.Time)) error {
		if files, ok := nativeJournalFiles(opts); ok {
			err := backend.ReadJournalFiles(ctx, files, match, dec, emit)
			if !errors.Is(err, backend.ErrJournalNotNative) {
				return err
			}
		}
		return backend.ReadJournalctl(ctx, opts, match, dec, emit)
	})
}

// nativeJournalFiles lists the files the options name when they can be
// read directly: journalfiles, or a journalpath directory that holds
// journal files only. The system journal (no option) is read through
// journalctl, which knows where it lives.
func nativeJournalFiles(o backend.JournalOptions) ([]string, bool) {
	switch {
	case o.Namespace != "":
		return nil, false
	case len(o.Files) > 0:
		files, err := backend.ExpandJournalGlobs(o.Files)
		return files, err == nil
	case o.Path != "":
		des, err := os.ReadDir(o.Path)
		if err != nil {
			return nil, false
		}
		var files []string
		for _, de := range des {
			if !de.Type().IsRegular() {
				return nil, false // subdirectories: libsystemd's own rules
			}
			if n := de.Name(); strings.HasSuffix(n, ".journal") || strings.HasSuffix(n, ".journal~") {
				files = append(files, filepath.Join(o.Path, n))
			}
		}
		return files, len(files) > 0
	}
	return nil, false
}

// journalBatch is how many entries the reading goroutine hands over at a
// time: enough to make the hand-over cost nothing per entry, few enough
// that the filter starts at once.
const journalBatch = 256

type journalLine struct {
	text string
	t    time.Time
}

// pipelined runs read on its own goroutine and calls emit with what it
// reads, in order, on this one: reading the journal and matching the
// filter then use a core each. A few batches in flight bound the memory.
func pipelined(ctx context.Context, emit func(string, time.Time), read func(context.Context, func(string, time.Time)) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []journalLine, 4)
	free := make(chan []journalLine, 6) // batches emitted, for reuse
	errc := make(chan error, 1)
	go func() {
		defer close(batches)
		batch := make([]journalLine, 0, journalBatch)
		flush := func() {
			if len(batch) == 0 {
				return
			}
			select {
			case batches <- batch:
			case <-ctx.Done():
			}
			select {
			case batch = <-free:
				batch = batch[:0]
			default:
				batch = make([]journalLine, 0, journalBatch)
			}
		}
		err := read(ctx, func(text string, t time.Time) {
			batch = append(batch, journalLine{text, t})
			if len(batch) == journalBatch {
				flush()
			}
		})
		flush()
		errc <- err
	}()
	for b := range batches {
		for _, l := range b {
			emit(l.text, l.t)
		}
		clear(b) // drop the texts before reuse
		select {
		case free <- b:
		default:
		}
	}
	return <-errc
}
