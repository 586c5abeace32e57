//go:build race

package datedetect

// raceEnabled shortens the slow differential run under the race detector.
const raceEnabled = true
