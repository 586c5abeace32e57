//go:build !linux

package main

import "errors"

func pageOut(addr, length uint64) error { return errors.ErrUnsupported }
