//go:build !linux

package main

import "errors"

func dropPages(all, own []region) error { return errors.ErrUnsupported }
