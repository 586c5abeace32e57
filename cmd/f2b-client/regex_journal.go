//go:build cgo

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/coreos/go-systemd/v22/sdjournal"

	"github.com/f2b/f2b/pkg/backend"
)

// The regex tester reads a "systemd-journal[…]" LOG from its first entry
// to its current end (fail2ban-regex does not follow the journal). Builds
// without cgo leave journalOpener nil and say the journal is unavailable.
func init() { journalOpener = readJournal }

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
		return readLibsystemd(ctx, opts, match, dec, emit)
	})
}

// nativeJournalFiles lists the files the options name when they can be
// read without libsystemd: journalfiles, or a journalpath directory that
// holds journal files only. The system journal (no option) is read through
// libsystemd, which knows where it lives.
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

// readLibsystemd reads the journal through libsystemd, for what
// backend.ReadJournalFiles cannot read.
func readLibsystemd(ctx context.Context, opts backend.JournalOptions, match []string, dec backend.Decoder, emit func(string, time.Time)) error {
	jr, err := openJournal(opts)
	if err != nil {
		return fmt.Errorf("systemd journal: %w", err)
	}
	defer jr.Close()
	if err := jr.SetDataThreshold(0); err != nil {
		return fmt.Errorf("systemd journal: %w", err)
	}
	if err := addJournalMatch(jr, match); err != nil {
		return err
	}
	if err := jr.SeekHead(); err != nil {
		return fmt.Errorf("systemd journal: %w", err)
	}
	er := backend.NewEntryReader(jr, dec)
	for ctx.Err() == nil {
		n, err := jr.Next()
		if err != nil {
			return fmt.Errorf("systemd journal: %w", err)
		}
		if n == 0 {
			return nil
		}
		text, tm, _, err := er.Read()
		if err != nil {
			continue // fail2ban-regex skips unreadable entries too
		}
		emit(text, tm)
	}
	return ctx.Err()
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

// journalGroups splits journalctl-style matches into groups at "+".
func journalGroups(match []string) [][]string {
	var groups [][]string
	var cur []string
	for _, m := range match {
		if m == "+" {
			if len(cur) > 0 {
				groups = append(groups, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, m)
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups
}

func addJournalMatch(jr *sdjournal.Journal, match []string) error {
	for _, g := range journalGroups(match) {
		for _, term := range g {
			if err := jr.AddMatch(term); err != nil {
				return fmt.Errorf("journal match %q: %w", term, err)
			}
		}
		if err := jr.AddDisjunction(); err != nil {
			return fmt.Errorf("journal match: %w", err)
		}
	}
	return nil
}

// openJournal picks the reader the backend options ask for (as
// pkg/backend's journal does).
func openJournal(o backend.JournalOptions) (*sdjournal.Journal, error) {
	switch {
	case o.Namespace != "":
		return nil, fmt.Errorf("namespace %q: journal namespaces are not supported", o.Namespace)
	case len(o.Files) > 0:
		files, err := backend.ExpandJournalGlobs(o.Files)
		if err != nil {
			return nil, err
		}
		return sdjournal.NewJournalFromFiles(files...)
	case o.Path != "":
		return sdjournal.NewJournalFromDir(o.Path)
	case o.Flags&backend.JournalRuntimeOnly != 0:
		return sdjournal.NewJournalFromDir("/run/log/journal")
	}
	return sdjournal.NewJournal()
}
