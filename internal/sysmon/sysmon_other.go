//go:build !linux

package sysmon

import "errors"

// Demote is only implemented on Linux.
func Demote() error { return errors.New("sysmon: not supported on this system") }
