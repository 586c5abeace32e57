package datedetect

import (
	"testing"
	"time"
)

// TestConvCache runs line sequences through a detector whose minute cache
// carries over from line to line and through one whose cache is emptied
// before every line: the times must agree, across zone transitions, day
// and year rollovers, the now-relative guesses that flip within one
// minute, a changing "now" and alternating templates. want pins a few
// results (RFC 3339, "" for no date) where the rule is easy to state.
func TestConvCache(t *testing.T) {
	berlin, at := berlinZone(t), rfc3339(t)
	tests := []struct {
		name, pattern, tz string
		local, location   *time.Location // Options.Local and Location
		nows              []string       // cycled over the lines
		lines             []string
		want              map[int]string // line index -> time
	}{
		{
			name: "iso seconds and fraction change", pattern: "^{DATE}", local: time.UTC,
			nows:  []string{"2026-11-25T13:05:00Z"},
			lines: []string{"2026-11-25T13:01:02 a", "2026-11-25T13:01:03,5 a", "2026-11-25T13:01:03,123456 a", "2026-11-25T13:01:59 a", "2026-11-25T13:02:00 a", "2026-11-25T13:01:60 a"},
			want:  map[int]string{0: "2026-11-25T13:01:02Z", 3: "2026-11-25T13:01:59Z", 4: "2026-11-25T13:02:00Z", 5: ""},
		},
		{
			name: "iso zone after the seconds", pattern: "{^LN-BEG}", local: time.UTC,
			nows:  []string{"2026-11-25T13:05:00Z"},
			lines: []string{"2026-11-25 13:01:02+01:00 a", "2026-11-25 13:01:03+02:00 a", "2026-11-25 13:01:04Z a", "2026-11-25 13:01:05 a"},
			want:  map[int]string{0: "2026-11-25T12:01:02Z", 1: "2026-11-25T11:01:03Z", 2: "2026-11-25T13:01:04Z"},
		},
		{
			name: "spring forward", pattern: "{^LN-BEG}", local: berlin,
			nows: []string{"2026-03-29T12:00:00Z"},
			lines: []string{"2026-03-29 01:59:58 a", "2026-03-29 01:59:59 a", "2026-03-29 02:00:00 a", "2026-03-29 02:30:01 a",
				"2026-03-29 03:00:00 a", "2026-03-29 03:00:01 a"},
			want: map[int]string{1: "2026-03-29T00:59:59Z", 4: "2026-03-29T01:00:00Z", 5: "2026-03-29T01:00:01Z"},
		},
		{
			name: "fall back", pattern: "{^LN-BEG}", local: berlin,
			nows: []string{"2026-10-25T12:00:00Z"},
			lines: []string{"2026-10-25 01:59:59 a", "2026-10-25 02:00:00 a", "2026-10-25 02:59:59 a", "2026-10-25 03:00:00 a",
				"2026-10-25 02:30:00 a"},
			want: map[int]string{0: "2026-10-24T23:59:59Z", 3: "2026-10-25T02:00:00Z"},
		},
		{
			name: "logtimezone with DST", pattern: "{^LN-BEG}", local: time.UTC, location: berlin,
			nows:  []string{"2026-03-29T12:00:00Z"},
			lines: []string{"2026-03-29 01:59:59 a", "2026-03-29 03:00:00 a", "2026-03-29 03:00:00+00:00 a"},
			want:  map[int]string{0: "2026-03-29T00:59:59Z", 1: "2026-03-29T01:00:00Z", 2: "2026-03-29T03:00:00Z"},
		},
		{
			// a date more than a day ahead of now is last year's: the
			// decision changes between two seconds of one minute
			name: "year guess within a minute", pattern: "{^LN-BEG}", local: time.UTC,
			nows:  []string{"2026-11-24T13:01:30Z"},
			lines: []string{"Nov 25 13:01:29 h", "Nov 25 13:01:30 h", "Nov 25 13:01:31 h", "Nov 25 13:01:32 h"},
			want:  map[int]string{0: "2026-11-25T13:01:29Z", 1: "2026-11-25T13:01:30Z", 2: "2025-11-25T13:01:31Z"},
		},
		{
			name: "year rollover", pattern: "{^LN-BEG}", local: berlin,
			nows: []string{"2026-12-31T22:59:58Z", "2026-12-31T22:59:59Z", "2026-12-31T23:00:00Z", "2026-12-31T23:00:01Z"},
			lines: []string{"Dec 31 23:59:58 h", "Dec 31 23:59:59 h", "Dec 31 23:59:59 h", "Jan  1 00:00:01 h",
				"Dec 31 23:59:59 h", "Jan  1 00:00:01 h", "Jan  1 00:00:01 h"},
			want: map[int]string{0: "2026-12-31T22:59:58Z", 3: "2026-12-31T23:00:01Z", 4: "2026-12-31T22:59:59Z"},
		},
		{
			name: "feb 29 a year back", pattern: "{^LN-BEG}", local: time.UTC,
			nows:  []string{"2028-02-27T10:00:00Z"},
			lines: []string{"Feb 29 09:59:59 h", "Feb 28 10:00:00 h", "Feb 29 10:00:00 h"},
			want:  map[int]string{0: "", 1: "2028-02-28T10:00:00Z"},
		},
		{
			// no date in the text: today, or yesterday when later than now
			name: "time only", pattern: "^%H:%M:%S", local: time.UTC,
			nows:  []string{"2026-11-25T10:00:30Z", "2026-11-25T10:00:30Z", "2026-11-25T10:00:30Z", "2026-11-26T10:00:30Z"},
			lines: []string{"10:00:29 x", "10:00:30 x", "10:00:31 x", "10:00:31 x"},
			want:  map[int]string{0: "2026-11-25T10:00:29Z", 2: "2026-11-24T10:00:31Z", 3: "2026-11-25T10:00:31Z"},
		},
		{
			name: "templates alternate", pattern: "", local: berlin,
			nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"Nov 25 13:01:02 h", "2026-11-25 13:01:03 h", "Nov 25 13:01:04 h", "25/Nov/2026:13:01:05 +0000 h",
				"Nov 25 13:01:06 h", "2026-11-25 13:01:07 h", "@4000000068a4c6b2 x", "1795611662 x", "Nov 25 13:01:08 h"},
			want: map[int]string{0: "2026-11-25T12:01:02Z", 1: "2026-11-25T12:01:03Z", 3: "2026-11-25T13:01:05Z"},
		},
		{
			name: "fixed logtimezone", pattern: "{^LN-BEG}", local: berlin, tz: "UTC+0530",
			nows:  []string{"2026-11-25T13:05:00Z"},
			lines: []string{"Nov 25 13:01:02 h", "Nov 25 13:01:03 h", "Nov 25 13:01:04 +0000 h"},
			want:  map[int]string{0: "2026-11-25T07:31:02Z", 2: "2026-11-25T07:31:04Z"},
		},
		{
			name: "12-hour clock", pattern: "^%I:%M:%S %p", local: time.UTC,
			nows:  []string{"2026-11-25T23:00:00Z"},
			lines: []string{"01:02:03 AM x", "01:02:04 PM x", "01:02:05 pm x", "12:02:06 AM x"},
			want:  map[int]string{0: "2026-11-25T01:02:03Z", 1: "2026-11-25T13:02:04Z", 3: "2026-11-25T00:02:06Z"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var now time.Time
			opts := Options{Pattern: tc.pattern, Local: tc.local, Location: tc.location, Now: func() time.Time { return now }, YearClock: testNow}
			if tc.tz != "" {
				loc, err := ParseTimezone(tc.tz)
				if err != nil {
					t.Fatal(err)
				}
				opts.Location = loc
			}
			cached, err := New(opts)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := New(opts)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range tc.lines {
				now = at(tc.nows[i%len(tc.nows)])
				fresh.conv, fresh.memo = convCache{}, secondsMemo{}
				got, gok := cached.Find(line)
				ref, rok := fresh.Find(line)
				if gok != rok || !got.Time.Equal(ref.Time) || got.Template != ref.Template {
					t.Errorf("line %d %q: cached %v %v (template %d), uncached %v %v (template %d)",
						i, line, gok, got.Time, got.Template, rok, ref.Time, ref.Template)
				}
				if want, ok := tc.want[i]; ok {
					s := ""
					if !got.Time.IsZero() {
						s = got.Time.UTC().Format(time.RFC3339)
					}
					if s != want {
						t.Errorf("line %d %q: got %q, want %q", i, line, s, want)
					}
				}
			}
		})
	}
}

// TestConvCache_Holes checks which parts of a match the cache ignores.
func TestConvCache_Holes(t *testing.T) {
	tests := []struct {
		pattern, line string
		holes         int
	}{
		{"{^LN-BEG}", "2026-11-25 13:01:02 a", 1},
		{"{^LN-BEG}", "2026-11-25 13:01:02,123 a", 2},
		{"{^LN-BEG}", "2026-11-25 13:01:02.5+01:00 a", 2},
		{"^%H:%M", "13:01 a", 0},
		// the seconds inside a group minuteOf reads: compare all the text
		{"^(?P<H>%S)", "13 a", 0},
	}
	for _, tc := range tests {
		d := newTestDetector(t, tc.pattern, "", testNow)
		if _, ok := d.Find(tc.line); !ok {
			t.Fatalf("%q: no date in %q", tc.pattern, tc.line)
		}
		if !d.conv.valid || d.conv.nholes != tc.holes {
			t.Errorf("%q on %q: valid %v, %d holes, want %d", tc.pattern, tc.line, d.conv.valid, d.conv.nholes, tc.holes)
		}
	}
}
