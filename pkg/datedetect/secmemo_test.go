package datedetect

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// detectorState renders what Find leaves behind for the next line: the
// template order and statistics, the last match and the last winner.
func detectorState(d *Detector) string {
	var b strings.Builder
	for _, e := range d.order {
		fmt.Fprintf(&b, "%d:%d/%d/%v/%d ", e.idx, e.hits, e.rawHits, e.lastUsed, e.distance)
	}
	fmt.Fprintf(&b, "last %d-%d(%d) %q idx %d unused %d", d.last.start, d.last.end, d.last.byteEnd, d.last.line, d.lastIdx, d.firstUnused)
	return b.String()
}

// memoPair runs lines through a detector that keeps its seconds memo and
// one whose memo (and minute cache) is emptied before each line.
type memoPair struct {
	memo, full *Detector
	now        time.Time
}

func newMemoPair(t testing.TB, opts Options) *memoPair {
	t.Helper()
	p := &memoPair{}
	opts.Now = func() time.Time { return p.now }
	var err error
	if p.memo, err = New(opts); err != nil {
		t.Fatal(err)
	}
	if p.full, err = New(opts); err != nil {
		t.Fatal(err)
	}
	return p
}

// find runs line through both and fails on any difference in the result
// or the state; it reports whether the memo answered.
func (p *memoPair) find(t testing.TB, line string) bool {
	t.Helper()
	hits := p.memo.memoHits
	got, gok := p.memo.Find(line)
	p.full.memo, p.full.conv = secondsMemo{}, convCache{}
	want, wok := p.full.Find(line)
	if gok != wok || got != want {
		t.Fatalf("%q: memo %v %+v, full %v %+v", line, gok, got, wok, want)
	}
	if gs, ws := detectorState(p.memo), detectorState(p.full); gs != ws {
		t.Fatalf("%q: state with memo\n %s\nwithout\n %s", line, gs, ws)
	}
	return p.memo.memoHits > hits
}

// TestSecondsMemo runs line sequences through Find with and without the
// memo: results and detector state must agree line by line, and the memo
// must answer the lines marked '+' in memo (and no others).
func TestSecondsMemo(t *testing.T) {
	berlin, at := berlinZone(t), rfc3339(t)
	tests := []struct {
		name, pattern   string
		local, location *time.Location
		nows            []string // cycled over the lines
		lines           []string
		memo            string // '+': the memo answers the line
	}{
		{
			name: "php-api", pattern: "^{DATE}", local: time.UTC, nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"2026-11-25T13:01:02 192.0.2.1 - a", "2026-11-25T13:01:03 192.0.2.7 - b", "2026-11-25T13:01:59 x",
				"2026-11-25T13:02:00 x", "2026-11-25T13:02:00 x"},
			memo: "-++-+",
		},
		{
			name: "seconds the layout refuses", pattern: "^{DATE}", local: time.UTC, nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"2026-11-25T13:01:02 a", "2026-11-25T13:01:60 a", "2026-11-25T13:01:61 a", "2026-11-25T13:01:62 a",
				"2026-11-25T13:01:4 a", "2026-11-25T13:01:04 a", "2026-11-25T13:01:0٤ a", "2026-11-25T13:01:05", "2026-11-25T13:01:06"},
			// lines outside the canonical layout leave the memo of line 0
			memo: "-----+-++",
		},
		{
			name: "tail after the seconds", pattern: "{^LN-BEG}", local: time.UTC, nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"2026-11-25 13:01:02 a", "2026-11-25 13:01:03,5 a", "2026-11-25 13:01:04.123456789 a",
				"2026-11-25 13:01:05x", "2026-11-25 13:01:06_", "2026-11-25 13:01:07é", "2026-11-25 13:01:08+01:00 a",
				"2026-11-25 13:01:09+01:00 a", "2026-11-25 13:01:10 +0100 a", "2026-11-25 13:01:11  +01:00", "2026-11-25 13:01:12\u00a0+01:00",
				"2026-11-25 13:01:13Z", "2026-11-25 13:01:14 UTC", "2026-11-25 13:01:15 GMT", "2026-11-25 13:01:16 GMTx",
				"2026-11-25 13:01:17 a"},
			memo: "-+-----+--+-----",
		},
		{
			name: "back-reference and separators", pattern: "{^LN-BEG}", local: time.UTC, nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"2026/11/25 13:01:02 a", "2026/11/25 13:01:03 a", "2026/11-25 13:01:04 a", "2026.11.25 13:01:05 a",
				"2026-11-25  13:01:06 a", "2026-11-25  13:01:07 a", "2026-1-25 13:01:08 a", "2026-1-25 13:01:09 a"},
			memo: "-+------",
		},
		{
			name: "line begin skip", pattern: "{^LN-BEG}", local: time.UTC, nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"[[2026-11-25 13:01:02] a", "[[2026-11-25 13:01:03] a", "«2026-11-25 13:01:04» a", "«2026-11-25 13:01:05» a",
				"[2026-11-25 13:01:06 a", "((2026-11-25 13:01:07 a"},
			memo: "-+-+--",
		},
		{
			name: "syslog", pattern: "{^LN-BEG}", local: time.UTC, nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"Nov 25 13:01:02 web1 sshd[1]: a", "Nov 25 13:01:03 web1 CRON[2]: b", "Nov 25 13:01:04.5 h",
				"Nov 25 13:01:05 2026 h", "Nov 25 13:01:06 2026 h", "Nov 25 13:01:07 2025 h", "Nov 25 13:01:08 20261 h",
				"Nov 25 13:01:09 h", "nov 25 13:01:10 h", "Wed Nov 25 13:01:11 h", "Wed Nov 25 13:01:12 h", "Nov  5 13:01:13 h",
				"Nov  5 13:01:14 h", "Nov 5 13:01:15 h", "Nov 5 13:01:16 h", "ſat ſep 15 13:01:17 h", "ſat ſep 15 13:01:18 h"},
			memo: "-++-+-----+-+---+",
		},
		{
			name: "year guess within a minute", pattern: "{^LN-BEG}", local: time.UTC,
			nows:  []string{"2026-11-24T13:01:30Z"},
			lines: []string{"Nov 25 13:01:29 h", "Nov 25 13:01:30 h", "Nov 25 13:01:31 h", "Nov 25 13:01:32 h"},
			memo:  "-+++",
		},
		{
			name: "day of now changes", pattern: "{^LN-BEG}", local: berlin,
			nows:  []string{"2026-12-31T22:59:58Z", "2026-12-31T22:59:59Z", "2026-12-31T23:00:00Z", "2026-12-31T23:00:01Z"},
			lines: []string{"Dec 31 23:59:58 h", "Dec 31 23:59:59 h", "Dec 31 23:59:59 h", "Dec 31 23:59:59 h", "Dec 31 23:59:59 h"},
			memo:  "-+-+-",
		},
		{
			name: "spring forward", pattern: "{^LN-BEG}", local: berlin, nows: []string{"2026-03-29T12:00:00Z"},
			lines: []string{"2026-03-29 01:59:58 a", "2026-03-29 01:59:59 a", "2026-03-29 02:00:00 a", "2026-03-29 02:00:01 a",
				"2026-03-29 02:59:59 a", "2026-03-29 03:00:00 a", "2026-03-29 03:00:01 a"},
			memo: "-+-+--+",
		},
		{
			name: "fall back", pattern: "{^LN-BEG}", local: berlin, nows: []string{"2026-10-25T12:00:00Z"},
			lines: []string{"2026-10-25 02:59:58 a", "2026-10-25 02:59:59 a", "2026-10-25 03:00:00 a", "2026-10-25 02:59:59 a"},
			memo:  "-+--",
		},
		{
			name: "logtimezone", pattern: "^{DATE}", local: time.UTC, location: berlin, nows: []string{"2026-03-29T12:00:00Z"},
			lines: []string{"2026-03-29 01:59:58 a", "2026-03-29 01:59:59 a", "2026-03-29 03:00:00 a", "2026-03-29 03:00:00+00:00 a"},
			memo:  "-+--",
		},
		{
			name: "feb 29 a year back", pattern: "{^LN-BEG}", local: time.UTC, nows: []string{"2028-02-27T10:00:00Z"},
			lines: []string{"Feb 29 09:59:58 h", "Feb 29 09:59:59 h"},
			memo:  "-+",
		},
		{
			// another template wins in between: the memo is the last
			// winner's only; lines without a date leave it
			name: "templates alternate", pattern: "{^LN-BEG}", local: berlin, nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"Nov 25 13:01:02 h", "Nov 25 13:01:03 h", "2026-11-25 13:01:03 h", "Nov 25 13:01:04 h",
				"25/Nov/2026:13:01:05 +0000 h", "Nov 25 13:01:06 h", "Nov 25 13:01:07 h", "no date here",
				"Nov 25 13:01:08 h", "2026-11-25 13:01:08 h", "2026-11-25 13:01:09 h", "x Nov 25 13:01:10 h", "2026-11-25 13:01:11 h"},
			memo: "-+----+-+-+-+",
		},
		{
			// the defaults start with the {^LN-BEG} forms of ISO and syslog
			name: "default templates", pattern: "", local: berlin, nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"Nov 25 13:01:02 h", "Nov 25 13:01:03 h", "2026-11-25 13:01:03 h", "2026-11-25 13:01:04 h"},
			memo:  "-+-+",
		},
		{
			name: "unanchored templates have none", pattern: "%Y-%m-%d %H:%M:%S", local: time.UTC, nows: []string{"2026-11-25T13:05:00Z"},
			lines: []string{"2026-11-25 13:01:02 a", "2026-11-25 13:01:03 a"},
			memo:  "--",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.memo) != len(tc.lines) {
				t.Fatalf("memo %q for %d lines", tc.memo, len(tc.lines))
			}
			p := newMemoPair(t, Options{Pattern: tc.pattern, Local: tc.local, Location: tc.location, YearClock: testNow})
			var used strings.Builder
			for i, line := range tc.lines {
				p.now = at(tc.nows[i%len(tc.nows)])
				if p.find(t, line) {
					used.WriteByte('+')
				} else {
					used.WriteByte('-')
				}
			}
			if used.String() != tc.memo {
				t.Errorf("memo answered %q, want %q", used.String(), tc.memo)
			}
		})
	}
}

// TestSecondsMemo_SampleLogs replays fail2ban's sample logs (one detector
// per file and pattern) with and without the memo.
func TestSecondsMemo_SampleLogs(t *testing.T) {
	entries, err := os.ReadDir(sampleLogs)
	if err != nil {
		t.Skipf("sample logs: %v", err)
	}
	now := time.Date(2026, 11, 25, 13, 5, 0, 0, time.UTC)
	hits := 0
	for _, e := range entries {
		data, err := os.ReadFile(sampleLogs + "/" + e.Name())
		if err != nil || e.IsDir() {
			continue
		}
		for _, pat := range []string{"", "{^LN-BEG}", "^{DATE}"} {
			p := newMemoPair(t, Options{Pattern: pat, Local: time.UTC, YearClock: testNow})
			p.now = now
			for _, line := range strings.Split(string(data), "\n") {
				if p.find(t, line) {
					hits++
				}
			}
		}
	}
	if hits == 0 {
		t.Error("the memo answered no line of the sample logs")
	}
}

// FuzzSecondsMemo runs three lines through Find with and without the
// memo, in three zone settings, with now moving a second per line.
func FuzzSecondsMemo(f *testing.F) {
	g := newLineGen(13)
	for range 30 {
		l := g.line()
		l2, l3 := l, l
		if i := strings.LastIndex(l, ":"); i >= 0 && i+2 < len(l) {
			l2 = l[:i+1] + "59" + l[i+3:]
			l3 = l[:i+1] + "00Z" + l[i+3:]
		}
		f.Add(l, l2, l3, int32(0))
	}
	f.Add("2026-11-25T13:01:02 a", "2026-11-25T13:01:03,5 b", "2026-11-25T13:01:04+01:00", int32(-60))
	f.Add("Nov 25 13:01:02 h", "Nov 25 13:01:03 2026 h", "Nov 25 13:01:04 h", int32(86400))
	f.Add("Dec 31 23:59:58 h", "Dec 31 23:59:59 h", "Dec 31 23:59:59 h", int32(-3600*24*330+2))
	berlin := berlinZone(f)
	zones := [][2]*time.Location{{time.UTC, nil}, {berlin, nil}, {time.UTC, berlin}}
	base := time.Date(2026, 11, 25, 13, 1, 30, 0, time.UTC)
	f.Fuzz(func(t *testing.T, l1, l2, l3 string, off int32) {
		lines := []string{l1, l2, l3}
		for _, l := range lines {
			if len(l) > 200 || !utf8.ValidString(l) || strings.ContainsRune(l, '\n') {
				return
			}
		}
		for _, pat := range []string{"", "{^LN-BEG}", "^{DATE}"} {
			for _, z := range zones {
				p := newMemoPair(t, Options{Pattern: pat, Local: z[0], Location: z[1], YearClock: testNow})
				for i, l := range lines {
					p.now = base.Add(time.Duration(int64(off)+int64(i)) * time.Second)
					p.find(t, l)
				}
			}
		}
	})
}
