//go:build !cgo

package backend

import (
	"errors"
	"testing"
)

func TestNewJournal_NoCgo(t *testing.T) {
	_, err := NewJournal(JournalOptions{})
	if !errors.Is(err, ErrNoJournal) {
		t.Fatalf("NewJournal without cgo = %v, want ErrNoJournal", err)
	}
	if want := "backend systemd: systemd journal support not compiled in (binary built without cgo)"; err.Error() != want {
		t.Fatalf("error text %q, want %q", err, want)
	}
}
