package datedetect

import (
	"testing"
	"time"
)

// berlinZone loads Europe/Berlin (a zone with DST transitions), skipping
// the test or fuzz target where the system has no zoneinfo.
func berlinZone(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		tb.Skipf("no zoneinfo: %v", err)
	}
	return loc
}

// rfc3339 returns a parser of RFC 3339 times for test tables that fails
// tb on a malformed one.
func rfc3339(tb testing.TB) func(string) time.Time {
	return func(s string) time.Time {
		tb.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}
