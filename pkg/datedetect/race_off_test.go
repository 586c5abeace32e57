//go:build !race

package datedetect

const raceEnabled = false
