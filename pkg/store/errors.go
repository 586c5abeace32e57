package store

import "errors"

var (
	// ErrClosed is returned by operations on a closed Store.
	ErrClosed = errors.New("store: closed")
	// ErrFutureVersion is returned when the file was written by a newer schema.
	ErrFutureVersion = errors.New("store: database version is newer than supported")
)
