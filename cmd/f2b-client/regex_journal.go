//go:build cgo

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
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
		var files []string
		for _, p := range o.Files {
			m, err := filepath.Glob(p)
			if err != nil {
				return nil, fmt.Errorf("journalfiles %q: %w", p, err)
			}
			files = append(files, m...)
		}
		slices.Sort(files)
		files = slices.Compact(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("journalfiles %q: no file found", o.Files)
		}
		return sdjournal.NewJournalFromFiles(files...)
	case o.Path != "":
		return sdjournal.NewJournalFromDir(o.Path)
	case o.Flags&backend.JournalRuntimeOnly != 0:
		return sdjournal.NewJournalFromDir("/run/log/journal")
	}
	return sdjournal.NewJournal()
}
