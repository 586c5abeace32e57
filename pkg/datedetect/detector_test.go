package datedetect

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func newTestDetector(t *testing.T, pattern, tz string, now time.Time) *Detector {
	t.Helper()
	opts := Options{Pattern: pattern, Local: time.UTC, Now: func() time.Time { return now }, YearClock: testNow}
	if tz != "" {
		loc, err := ParseTimezone(tz)
		if err != nil {
			t.Fatal(err)
		}
		opts.Location = loc
	}
	d, err := New(opts)
	if err != nil {
		t.Fatalf("New(%q): %v", pattern, err)
	}
	return d
}

func TestDetector_Find(t *testing.T) {
	tests := []struct {
		name, pattern, tz string
		now               time.Time
		in                string
		want              string // RFC 3339 (UTC) of the date; "" = matched, no date; "-" = no match
		wantText          string
	}{
		{name: "iso offset", in: "2024-01-02T10:00:00.123+02:00 x", want: "2024-01-02T08:00:00Z", wantText: "2024-01-02T10:00:00.123+02:00"},
		{name: "iso slash", in: "2005/01/23 21:59:59 x", want: "2005-01-23T21:59:59Z", wantText: "2005/01/23 21:59:59"},
		{name: "iso mixed separators", in: "2005-01/23 21:59:59 x", want: "-"},
		{name: "syslog", in: "Jan  2 10:00:00 host sshd[1]: x", want: "2026-01-02T10:00:00Z", wantText: "Jan  2 10:00:00"},
		{name: "syslog future goes to last year", in: "Dec 31 23:59:59 x", want: "2025-12-31T23:59:59Z"},
		{name: "monit zone name", in: "PDT Apr 16 21:05:29 q", want: "2026-04-17T04:05:29Z"},
		{name: "time only today", in: "10:00:00 only time", want: "2026-11-25T10:00:00Z", wantText: "10:00:00"},
		{name: "time only future is yesterday", in: "13:00:00 later", want: "2026-11-24T13:00:00Z"},
		{name: "mysql", in: "130322 11:46:11 x", want: "2013-03-22T11:46:11Z"},
		{name: "assp", in: "Apr-27-13 02:33:06 x", want: "2013-04-27T02:33:06Z"},
		{name: "apache", in: `1.2.3.4 - - [31/Oct/2006:09:22:55 -0000] "GET"`, want: "2006-10-31T09:22:55Z", wantText: "31/Oct/2006:09:22:55 -0000"},
		{name: "tomcat pm", in: "Jan 23, 2005 9:59:59 PM x", want: "2005-01-23T21:59:59Z"},
		{name: "tomcat 12 am", in: "Jan 23, 2005 12:59:59 AM x", want: "2005-01-23T00:59:59Z"},
		{name: "bracket mdy", in: "<09/16/08@05:03:30> x", want: "2008-09-16T05:03:30Z"},
		{name: "day first slash", in: "23/01/2005 21:59:59 x", want: "2005-01-23T21:59:59Z"},
		{name: "day first no month 31", in: "12/31/24 01:02:03 x", want: "-"},
		{name: "mdy colon", in: "05/20/2008:01:57:39 x", want: "2008-05-20T01:57:39Z"},
		{name: "mdy dash frac", in: "01-27-2012 16:22:44.252 x", want: "2012-01-27T16:22:44Z"},
		{name: "compact iso", in: "20050123T215959 x", want: "2005-01-23T21:59:59Z"},
		{name: "weekday and year", in: "Sun Jan 23 21:59:59.011 2005 q", want: "2005-01-23T21:59:59Z"},
		{name: "feb 30 invalid", in: "2024-02-30 10:00:00 x", want: "", wantText: "2024-02-30 10:00:00"},
		{name: "second 60 invalid", in: "2024-02-03 10:00:60 x", want: ""},
		{name: "year outside ExY", in: "1999-02-03 10:00:00 x", want: "-"},
		{name: "unicode digit", in: "202٤-01-02 10:00:00 x", want: "2024-01-02T10:00:00Z"},
		{name: "epoch", in: "1700000000.123 x", want: "2023-11-14T22:13:20.123Z"},
		{name: "epoch bracket", in: "[1700000000] x", want: "2023-11-14T22:13:20Z", wantText: "1700000000"},
		{name: "epoch audit", pattern: "EPOCH", in: "type=AVC msg=audit(1700000000.123:42): x", want: "2023-11-14T22:13:20.123Z"},
		{name: "epoch too long", pattern: "EPOCH", in: "170000000012 x", want: "-"},
		{name: "lepoch ms", pattern: "LEPOCH", in: "1700000000123 x", want: "2023-11-14T22:13:20.123Z"},
		{name: "lepoch us", pattern: "LEPOCH", in: "1700000000123456 x", want: "2023-11-14T22:13:20.123456Z"},
		{name: "epoch in pattern", pattern: `^\[{EPOCH}\]`, in: "[1700000000] x", want: "2023-11-14T22:13:20Z", wantText: "[1700000000]"},
		{name: "tai64n", in: "@4000000065535e3b0d8f3a44 x", want: "2023-11-14T11:47:07Z"},
		{name: "ln-beg skips mid-line", pattern: "{^LN-BEG}", in: "x 2024-01-02 10:00:00 y", want: "-"},
		{name: "ln-beg two non-word", pattern: "{^LN-BEG}", in: "[[2024-01-02 10:00:00] y", want: "2024-01-02T10:00:00Z", wantText: "2024-01-02 10:00:00"},
		{name: "php-api", pattern: "^{DATE}", in: "2026-11-25T13:01:02 192.0.2.1 - Incorrect token used.", want: "2026-11-25T13:01:02Z"},
		{name: "date needs line start", pattern: "^{DATE}", in: " 2026-11-25T13:01:02 x", want: "-"},
		{name: "badbots", pattern: "^[^\\[]*\\[({DATE})\n{^LN-BEG}", in: `1.2.3.4 - - [25/Nov/2026:13:01:02 +0100] "GET"`, want: "2026-11-25T12:01:02Z"},
		{name: "none", pattern: "{NONE}", in: "anything", want: "", wantText: ""},
		{name: "unbound inside word", pattern: "{UNB}%Y-%m-%d", in: "x2024-01-02y", want: "2024-01-02T00:00:00Z", wantText: "2024-01-02"},
		{name: "word bound", pattern: "%Y-%m-%d", in: "x2024-01-02y", want: "-"},
		{name: "logtimezone", pattern: "{^LN-BEG}", tz: "UTC+0200", in: "2024-01-02 10:00:00 x", want: "2024-01-02T08:00:00Z"},
		{name: "logtimezone vs explicit", pattern: "{^LN-BEG}", tz: "UTC+0200", in: "2024-01-02 10:00:00 +0100 x", want: "2024-01-02T09:00:00Z"},
		{name: "logtimezone abbr", tz: "CET", in: "Jan  2 10:00:00 x", want: "2026-01-02T09:00:00Z"},
		{name: "zone %z short", pattern: "%Y-%m-%d %H:%M:%S %z", in: "2024-01-02 10:00:00 -03", want: "2024-01-02T13:00:00Z"},
		{name: "zone %z colon", pattern: "%Y-%m-%d %H:%M:%S %z", in: "2024-01-02 10:00:00 +05:30", want: "2024-01-02T04:30:00Z"},
		{name: "zone %Z known", pattern: "%Y-%m-%d %H:%M:%S %Z", in: "2024-01-02 10:00:00 CEST", want: "2024-01-02T08:00:00Z"},
		{name: "zone %Z unknown", pattern: "%Y-%m-%d %H:%M:%S %Z", in: "2024-01-02 10:00:00 ABC", want: ""},
		{name: "zone %Exz abbr+offset", pattern: "%Y-%m-%d %H:%M:%S %Exz", in: "2024-01-02 10:00:00 CET+0100", want: "2024-01-02T08:00:00Z"},
		{name: "Ex month needs two digits", pattern: "^%ExY-%Exm-%Exd %ExH:%ExM:%ExS", in: "2024-1-02 10:00:00", want: "-"},
		{name: "Ex two digits", pattern: "^%ExY-%Exm-%Exd %ExH:%ExM:%ExS", in: "2024-01-02 10:00:00", want: "2024-01-02T10:00:00Z"},
		{name: "Exy", pattern: "^%Exy%Exm%Exd", in: "240102 x", want: "2024-01-02T00:00:00Z"},
		{name: "julian", pattern: "^%Y-%j %H:%M", in: "2024-060 10:00", want: "2024-02-29T10:00:00Z"},
		{name: "week and weekday", pattern: "^%Y %W %a", in: "2024 01 Mon", want: "2024-01-01T00:00:00Z"},
		{name: "percent literal", pattern: "^%%%Y-%m-%d", in: "%2024-01-02", want: "2024-01-02T00:00:00Z"},
		{name: "new year: december line in january", now: time.Date(2027, 1, 1, 0, 30, 0, 0, time.UTC), in: "Dec 31 23:59:59 x", want: "2026-12-31T23:59:59Z"},
		{name: "new year: january line in january", now: time.Date(2027, 1, 1, 0, 30, 0, 0, time.UTC), in: "Jan  1 00:10:00 x", want: "2027-01-01T00:10:00Z"},
		{name: "new year: january line on new year's eve", now: time.Date(2026, 12, 31, 23, 50, 0, 0, time.UTC), in: "Jan  1 00:10:00 x", want: "2026-01-01T00:10:00Z"},
		{name: "feb 29 previous year invalid", now: time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC), in: "Feb 29 10:00:00 x", want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = testNow
			}
			d := newTestDetector(t, tc.pattern, tc.tz, now)
			m, ok := d.Find(tc.in)
			if tc.want == "-" {
				if ok {
					t.Fatalf("Find(%q) = %+v (%q), want no match", tc.in, m, tc.in[m.Start:m.End])
				}
				return
			}
			if !ok {
				t.Fatalf("Find(%q): no match", tc.in)
			}
			got := ""
			if !m.Time.IsZero() {
				got = m.Time.UTC().Format(time.RFC3339Nano)
			}
			if got != tc.want {
				t.Errorf("Find(%q) time = %q, want %q", tc.in, got, tc.want)
			}
			if tc.wantText != "" || tc.want == "" && tc.name == "none" {
				if text := tc.in[m.Start:m.End]; text != tc.wantText {
					t.Errorf("Find(%q) text = %q, want %q", tc.in, text, tc.wantText)
				}
			}
		})
	}
}

func TestNew_Errors(t *testing.T) {
	tests := []struct {
		name, in string
		wantErr  error
	}{
		{name: "unknown directive", in: "%Y-%Q"},
		{name: "trailing percent", in: "%Y-%"},
		{name: "duplicate template", in: "%Y-%m-%d\n%Y-%m-%d", wantErr: ErrDuplicateTemplate},
		{name: "bad regex", in: "%Y-(%m"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{Pattern: tc.in})
			if err == nil {
				t.Fatalf("New(%q) succeeded", tc.in)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("New(%q) = %v, want %v", tc.in, err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), "datepattern") {
				t.Errorf("error %q does not name the datepattern", err)
			}
		})
	}
}

func TestParseTimezone(t *testing.T) {
	tests := []struct {
		name, in string
		want     int // seconds east of UTC
		wantErr  bool
	}{
		{name: "empty is utc", in: "", want: 0},
		{name: "utc", in: "UTC", want: 0},
		{name: "utc plus", in: "UTC+0200", want: 7200},
		{name: "offset colon", in: "+05:30", want: 19800},
		{name: "short negative", in: "-03", want: -10800},
		{name: "abbr", in: "CET", want: 3600},
		{name: "abbr plus offset", in: "CEST+01", want: 10800},
		{name: "half hour abbr", in: "IST", wantErr: true},
		{name: "nepal", in: "NPT", want: 20700},
		{name: "named zone", in: "Europe/Paris", wantErr: true},
		{name: "lower case", in: "utc", wantErr: true},
		{name: "two letters", in: "AB", wantErr: true},
		{name: "bad hour", in: "+2500", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := ParseTimezone(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseTimezone(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if _, off := time.Date(2024, 1, 1, 0, 0, 0, 0, loc).Zone(); off != tc.want {
				t.Errorf("ParseTimezone(%q) offset = %d, want %d", tc.in, off, tc.want)
			}
		})
	}
}

func TestDetector_Templates(t *testing.T) {
	tests := []struct {
		name, in    string
		wantN       int
		wantDefault bool
		wantHas     []string
	}{
		{name: "defaults", in: "", wantN: 31, wantDefault: true, wantHas: []string{"{^LN-BEG}Epoch", "{^LN-BEG}TAI64N", "^<Month/Day/ExYear2@24hour:Minute:Second>"}},
		{name: "ln-beg", in: "{^LN-BEG}", wantN: 17, wantDefault: true, wantHas: []string{"{^LN-BEG}24hour:Minute:Second", "^MON-Day-ExYear2 %k:Minute:Second"}},
		{name: "date anchored", in: "^{DATE}", wantN: 17, wantDefault: true, wantHas: []string{"{^LN-BEG}Epoch", "^24hour:Minute:Second", "^^<Month/Day/ExYear2@24hour:Minute:Second>"}},
		{name: "single", in: "%d/%b/%Y:%H:%M:%S %z", wantN: 1, wantHas: []string{"Day/MON/Year:24hour:Minute:Second Zone offset"}},
		{name: "ln-beg custom", in: "{^LN-BEG}%Y-%m-%d", wantN: 1, wantHas: []string{"{^LN-BEG}Year-Month-Day"}},
		{name: "none", in: "{NONE}", wantN: 1, wantHas: []string{"^"}},
		{name: "unbounded", in: "{UNB}%Y", wantN: 1, wantHas: []string{"Year"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestDetector(t, tc.in, "", testNow)
			names := d.Templates()
			if len(names) != tc.wantN {
				t.Fatalf("%d templates, want %d: %q", len(names), tc.wantN, names)
			}
			if d.Default() != tc.wantDefault {
				t.Errorf("Default() = %v", d.Default())
			}
			for _, w := range tc.wantHas {
				if !strings.Contains("\n"+strings.Join(names, "\n")+"\n", "\n"+w+"\n") {
					t.Errorf("missing template %q in %q", w, names)
				}
			}
		})
	}
}

// TestDetector_Reorder pins the stateful quirk fail2ban shows: after a
// zone-name line wins, a weekday is read as a zone name.
func TestDetector_Reorder(t *testing.T) {
	d := newTestDetector(t, "", "", testNow)
	if m, ok := d.Find("PDT Apr 16 21:05:29 q"); !ok || m.Time.IsZero() {
		t.Fatalf("first line: %+v %v", m, ok)
	}
	m, ok := d.Find("Sun Jan 23 21:59:59.011 2005 q")
	if !ok || !m.Time.IsZero() {
		t.Fatalf("second line: got %+v %v, want a match without date", m, ok)
	}
	fresh := newTestDetector(t, "", "", testNow)
	if m, _ := fresh.Find("Sun Jan 23 21:59:59.011 2005 q"); m.Time.IsZero() {
		t.Fatalf("fresh detector found no date")
	}
	hits := d.Hits()
	if hits[0].Hits != 2 {
		t.Errorf("winning template not moved to the top: %+v", hits[:3])
	}
}

// TestDetector_Concurrent shares one detector between goroutines (run it
// with -race): every line must still get its own date.
func TestDetector_Concurrent(t *testing.T) {
	d := newTestDetector(t, "{^LN-BEG}", "", testNow)
	lines := map[string]string{
		"Jan  2 10:00:00 host x":      "2026-01-02T10:00:00Z",
		"2024-01-02T10:00:00Z x":      "2024-01-02T10:00:00Z",
		"[1700000000] x":              "2023-11-14T22:13:20Z",
		"@4000000065535e3b0d8f3a44 x": "2023-11-14T11:47:07Z",
	}
	done := make(chan error)
	for line, want := range lines {
		go func() {
			for range 200 {
				m, ok := d.Find(line)
				if got := m.Time.UTC().Format(time.RFC3339); !ok || got != want {
					done <- fmt.Errorf("Find(%q) = %s, want %s", line, got, want)
					return
				}
			}
			done <- nil
		}()
	}
	for range lines {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestDetector_Describe(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "default", in: "", want: `"" "Default Detectors"`},
		{name: "ln-beg", in: "{^LN-BEG}", want: `"" "Default Detectors"`},
		{name: "single", in: "^%Y-%m-%d %H:%M:%S", want: `"^%Y-%m-%d %H:%M:%S" "^Year-Month-Day 24hour:Minute:Second"`},
		{name: "epoch", in: "EPOCH", want: `"" "Epoch"`},
		{name: "two", in: "{^LN-BEG}%b-%d-%Exy %H:%M:%S\n{NONE}", want: `"{^LN-BEG}%b-%d-%Exy %H:%M:%S" "{^LN-BEG}MON-Day-ExYear2 24hour:Minute:Second"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, n := newTestDetector(t, tc.in, "", testNow).Describe()
			if got := fmt.Sprintf("%q %q", p, n); got != tc.want {
				t.Errorf("Describe() = %s, want %s", got, tc.want)
			}
		})
	}
}
