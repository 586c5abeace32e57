package datedetect

import (
	"testing"
	"time"
)

// Expected values printed by fail2ban 1.0.2's strptime._updateTimeRE with
// datetime.now() faked to the given year.
func TestYearRegex(t *testing.T) {
	tests := []struct {
		name string
		in   int
		want string
	}{
		{name: "this decade", in: 2026, want: `(?P<Y>20[012]\d)`},
		{name: "fail2ban test now", in: 2005, want: `(?P<Y>200\d)`},
		{name: "next decade", in: 2031, want: `(?P<Y>20[0123]\d)`},
		{name: "next century", in: 2099, want: `(?P<Y>2(?:00|01|02|03|04|05|06|07|08|09|10)\d)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := yearRegex(time.Date(tc.in, 6, 1, 0, 0, 0, 0, time.UTC)); got != tc.want {
				t.Errorf("yearRegex(%d) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestYearClock: %ExY follows the wall clock (YearClock), not Now, as in
// fail2ban, while year inference still follows Now.
func TestYearClock(t *testing.T) {
	now2005 := time.Date(2005, 8, 14, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		yearClock time.Time
		in        string
		want      string
	}{
		{name: "2011 date, clock 2026", yearClock: testNow, in: "2011-12-25 17:09:20 x", want: "2011-12-25T17:09:20Z"},
		{name: "2029 date, clock 2026", yearClock: testNow, in: "2029-01-02 03:04:05 x", want: "2029-01-02T03:04:05Z"},
		{name: "2011 date, clock 2005", yearClock: now2005, in: "2011-12-25 17:09:20 x", want: ""},
		{name: "yearless date uses Now", yearClock: testNow, in: "Dec 25 17:09:20 x", want: "2004-12-25T17:09:20Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := New(Options{Pattern: "{^LN-BEG}", Local: time.UTC, Now: func() time.Time { return now2005 }, YearClock: tc.yearClock})
			if err != nil {
				t.Fatal(err)
			}
			m, ok := d.Find(tc.in)
			got := ""
			if ok && !m.Time.IsZero() {
				got = m.Time.UTC().Format(time.RFC3339)
			}
			if got != tc.want {
				t.Errorf("Find(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
