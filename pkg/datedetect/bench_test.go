package datedetect

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

var benchCases = []struct {
	name, pattern, line string
}{
	{name: "syslog-lnbeg", pattern: "{^LN-BEG}", line: "Nov 25 13:01:02 host sshd[1234]: Failed password for root from 192.0.2.1 port 22 ssh2"},
	{name: "iso-lnbeg", pattern: "{^LN-BEG}", line: "2026-11-25 13:01:02,123 fail2ban.actions [812]: NOTICE [sshd] Ban 192.0.2.1"},
	{name: "php-api-date", pattern: "^{DATE}", line: "2026-11-25T13:01:02 192.0.2.1 - Incorrect token used."},
	{name: "syslog-defaults", pattern: "", line: "Nov 25 13:01:02 host sshd[1234]: Failed password for root from 192.0.2.1 port 22 ssh2"},
	{name: "apache-access", pattern: "^[^\\[]*\\[({DATE})\n{^LN-BEG}", line: `192.0.2.1 - - [25/Nov/2026:13:01:02 +0000] "GET / HTTP/1.1" 200 612`},
	{name: "epoch", pattern: "{^LN-BEG}Epoch\n{^LN-BEG}", line: "1795611662.123 192.0.2.1 TCP_DENIED/403"},
}

func BenchmarkFind(b *testing.B) {
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			d, err := New(Options{Pattern: bc.pattern, Local: time.UTC, Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			if m, ok := d.Find(bc.line); !ok || m.Time.IsZero() {
				b.Fatalf("no date in %q", bc.line)
			}
			b.ReportAllocs()
			for b.Loop() {
				d.Find(bc.line)
			}
		})
	}
}

// BenchmarkSampleLogs replays fail2ban's sample logs (one detector per
// file, as per jail); ns/op is per line.
func BenchmarkSampleLogs(b *testing.B) {
	entries, err := os.ReadDir(sampleLogs)
	if err != nil {
		b.Skipf("sample logs: %v", err)
	}
	var files [][]string
	for _, e := range entries {
		data, err := os.ReadFile(sampleLogs + "/" + e.Name())
		if err == nil && !e.IsDir() {
			files = append(files, strings.Split(string(data), "\n"))
		}
	}
	for _, p := range []string{"", "{^LN-BEG}", "^{DATE}"} {
		b.Run(fmt.Sprintf("%q", p), func(b *testing.B) {
			dets := make([]*Detector, len(files))
			for i := range files {
				dets[i], _ = New(Options{Pattern: p, Local: time.UTC})
			}
			n := 0
			for b.Loop() {
				for i, f := range files {
					for _, l := range f {
						dets[i].Find(l)
						n++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/line")
		})
	}
}

// BenchmarkNew measures building a detector (per jail start / reload).
func BenchmarkNew(b *testing.B) {
	for _, p := range []string{"", "{^LN-BEG}", "^{DATE}"} {
		b.Run(fmt.Sprintf("%q", p), func(b *testing.B) {
			for b.Loop() {
				if _, err := New(Options{Pattern: p}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFindDistinct is BenchmarkFind with the seconds changing on every
// line, so the conversion cache (which serves bursts of lines sharing a
// timestamp) never hits.
func BenchmarkFindDistinct(b *testing.B) {
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	for _, bc := range benchCases[:4] {
		b.Run(bc.name, func(b *testing.B) {
			d, err := New(Options{Pattern: bc.pattern, Local: time.UTC, Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			i := strings.Index(bc.line, ":02")
			lines := make([]string, 60)
			for s := range lines {
				lines[s] = fmt.Sprintf("%s:%02d%s", bc.line[:i], s, bc.line[i+3:])
				if m, ok := d.Find(lines[s]); !ok || m.Time.Second() != s {
					b.Fatalf("no date or wrong second in %q: %v", lines[s], m.Time)
				}
			}
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				d.Find(lines[n%60])
				n++
			}
		})
	}
}

// BenchmarkFindNoDate measures rejecting a line without a date.
func BenchmarkFindNoDate(b *testing.B) {
	const line = "host sshd[1234]: Failed password for root from 192.0.2.1 port 22 ssh2"
	for _, p := range []string{"{^LN-BEG}", "^{DATE}", ""} {
		b.Run(fmt.Sprintf("%q", p), func(b *testing.B) {
			d, err := New(Options{Pattern: p, Local: time.UTC, Now: func() time.Time { return testNow }})
			if err != nil {
				b.Fatal(err)
			}
			if _, ok := d.Find(line); ok {
				b.Fatalf("date found in %q", line)
			}
			b.ReportAllocs()
			for b.Loop() {
				d.Find(line)
			}
		})
	}
}

// filterCases are the date parts of the filter benchmarks of issue 3
// (pkg/filter: BenchmarkPHPAPI, BenchmarkSSHD): a few lines cycling through
// consecutive seconds, in the process zone (Local nil, as the filter leaves
// it), the way a log feeds one detector.
var filterCases = []struct {
	name, pattern string
	lines         []string
}{
	{name: "php-api", pattern: "^{DATE}", lines: []string{
		"2026-11-25T13:01:02 192.0.2.1 - Incorrect token used. (more info here ...)",
		"2026-11-25T13:01:03 192.0.2.7 - Incorrect token used. (more info here ...)",
		"2026-11-25T13:01:04 198.51.100.3 admin Incorrect token used. (more info here ...)",
	}},
	{name: "sshd", pattern: "{^LN-BEG}", lines: []string{
		"Nov 25 13:01:02 web1 sshd[2101]: Accepted publickey for deploy from 198.51.100.20 port 50522 ssh2",
		"Nov 25 13:01:03 web1 CRON[2110]: pam_unix(cron:session): session closed for user root",
		"Nov 25 13:01:04 web1 sshd[2120]: Invalid user admin from 203.0.113.5 port 41234",
	}},
	{name: "iso-lnbeg", pattern: "{^LN-BEG}", lines: []string{
		"2026-11-25 13:01:02,123 fail2ban.actions [812]: NOTICE [sshd] Ban 192.0.2.1",
		"2026-11-25 13:01:03,456 fail2ban.filter [812]: INFO [sshd] Found 192.0.2.7",
		"2026-11-25 13:01:04,789 fail2ban.actions [812]: NOTICE [sshd] Unban 192.0.2.1",
	}},
}

// BenchmarkFindFilter is the date detection of the filter benchmarks:
// Find, as pkg/filter calls it, on lines of consecutive seconds.
func BenchmarkFindFilter(b *testing.B) {
	now := time.Date(2026, 11, 25, 13, 1, 12, 0, time.Local)
	for _, bc := range filterCases {
		b.Run(bc.name, func(b *testing.B) {
			d, err := New(Options{Pattern: bc.pattern, Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			for i, l := range bc.lines {
				if m, ok := d.Find(l); !ok || m.Time.Second() != 2+i {
					b.Fatalf("no date or wrong second in %q: %v", l, m.Time)
				}
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				d.Find(bc.lines[i%len(bc.lines)])
			}
		})
	}
}

// BenchmarkFindNewMinute is BenchmarkFindFilter with the minute changing
// on every line (a quiet log): the memo and the minute cache never hit.
func BenchmarkFindNewMinute(b *testing.B) {
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.Local)
	for _, bc := range filterCases[:2] {
		b.Run(bc.name, func(b *testing.B) {
			d, err := New(Options{Pattern: bc.pattern, Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			line := bc.lines[0]
			i := strings.Index(line, ":01:")
			lines := make([]string, 60)
			for m := range lines {
				lines[m] = fmt.Sprintf("%s:%02d:%s", line[:i], m, line[i+4:])
				if t, ok := d.Find(lines[m]); !ok || t.Time.Minute() != m {
					b.Fatalf("no date or wrong minute in %q: %v", lines[m], t.Time)
				}
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				d.Find(lines[i%60])
			}
		})
	}
}
