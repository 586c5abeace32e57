//go:build !cgo

package backend

import (
	"context"
	"fmt"
)

// NewJournal always fails in builds without cgo: the journal is read
// through libsystemd, which go-systemd reaches with cgo.
func NewJournal(opts JournalOptions) (*Journal, error) {
	return nil, fmt.Errorf("backend systemd: %w", ErrNoJournal)
}

// Run is unreachable without cgo (NewJournal fails) and reports why.
func (j *Journal) Run(ctx context.Context, out chan<- Line) error {
	return ErrNoJournal
}
