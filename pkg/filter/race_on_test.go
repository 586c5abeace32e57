//go:build race

package filter

// raceEnabled: the race detector slows regex engines ~10x, so the
// differential tests sample their corpus more sparsely.
const raceEnabled = true
