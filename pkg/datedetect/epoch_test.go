package datedetect

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// TestParseDecimal compares the exact fast path with strconv.ParseFloat on
// strings of digits and dots.
func TestParseDecimal(t *testing.T) {
	cases := []string{"", ".", "..", "0", "1795611662", "1795611662.123", "1795611662123", "1795611662123456",
		"999999999999999", "9999999999999999", "0.000000000000001", ".5", "5.", "1.2.3", "000000000000000000001.5",
		"123456789012345.6", "1234567890123.45", "9007199254740993"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, 1+r.IntN(20))
		for i := range b {
			b[i] = "0123456789012345678901234567890123456789."[r.IntN(41)]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		want, err := strconv.ParseFloat(s, 64)
		got, ok := parseDecimal(s)
		if ok != (err == nil) || ok && got != want {
			t.Fatalf("parseDecimal(%q) = %v %v, ParseFloat %v %v", s, got, ok, want, err)
		}
	}
}

// TestExactUnix pins the instants of epoch texts with their scales.
func TestExactUnix(t *testing.T) {
	tests := []struct {
		intPart, frac string
		scale         int
		want          time.Time
	}{
		{"1795611662", "", 0, time.Unix(1795611662, 0)},
		{"1795611662", "123", 0, time.Unix(1795611662, 123000000)},
		{"1795611662", "1234567899", 0, time.Unix(1795611662, 123456789)},
		{"1795611662123", "", 3, time.Unix(1795611662, 123000000)},
		{"1795611662123", "45", 3, time.Unix(1795611662, 123450000)},
		{"1795611662123456", "", 6, time.Unix(1795611662, 123456000)},
		{"", "5", 0, time.Unix(0, 500000000)},
	}
	for _, tc := range tests {
		if got := exactUnix(tc.intPart, tc.frac, tc.scale); !got.Equal(tc.want) {
			t.Errorf("exactUnix(%q, %q, %d) = %v, want %v", tc.intPart, tc.frac, tc.scale, got, tc.want)
		}
	}
}
