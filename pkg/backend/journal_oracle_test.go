//go:build cgo

package backend

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

// The text and time of every entry match what fail2ban's own
// FilterSystemd.formatJournalEntry makes of the same journal file, read with
// python-systemd.
func TestJournal_Python(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }
	entries := []entry{
		sshdEntry(at(0), 7),
		postfixEntry(at(1)),
		{rt: at(2), fields: [][2]string{{"SYSLOG_IDENTIFIER", "kernel"}, {"_SOURCE_MONOTONIC_TIMESTAMP", "98765432"}, {"MESSAGE", "IN=eth0 SRC=192.0.2.3"}}},
		{rt: at(3), fields: [][2]string{{"SYSLOG_IDENTIFIER", "kernel"}, {"MESSAGE", "no source monotonic"}}},
		{rt: at(4), fields: [][2]string{{"_COMM", "c"}, {"SYSLOG_PID", "0x1f"}, {"MESSAGE", "hex pid"}}},
		{rt: at(5), fields: [][2]string{{"_COMM", "c"}, {"SYSLOG_PID", "pid?"}, {"MESSAGE", "text pid"}}},
		{rt: at(6), fields: [][2]string{{"_HOSTNAME", "h\xe9"}, {"_COMM", "c"}, {"MESSAGE", "multi\nline caf\xe9"}}},
		{rt: at(7), fields: [][2]string{{"_SOURCE_REALTIME_TIMESTAMP", "1700000000654321"}, {"MESSAGE", "own time"}}},
		{rt: at(8), fields: [][2]string{{"_COMM", "sshd"}, {"_PID", "12"}, {"MESSAGE", "unicode ünïcödé ✓"}}},
		// Fields the fast path picks among: SYSLOG_* win over _COMM/_PID.
		{rt: at(9), fields: [][2]string{{"_PID", "12"}, {"_COMM", "c"}, {"SYSLOG_PID", "34"}, {"SYSLOG_IDENTIFIER", "ident"}, {"MESSAGE", "both"}}},
		{rt: at(10), fields: [][2]string{{"SYSLOG_IDENTIFIER", "kernel"}, {"_PID", "5"}, {"MESSAGE", "kernel with pid"}}},
		{rt: at(11), fields: [][2]string{{"_HOSTNAME", "h"}, {"SYSLOG_IDENTIFIER", "noMessage"}}},
		{rt: at(12), fields: [][2]string{{"_HOSTNAME", ""}, {"_COMM", "c"}, {"MESSAGE", "empty hostname\nand\n\nlines\n"}}},
		{rt: at(13), fields: [][2]string{{"_COMM", "big"}, {"MESSAGE", strings.Repeat("long message \xff ", 1000)}}},
		{rt: at(15), fields: [][2]string{{"SYSLOG_IDENTIFIER", "kernel"}, {"_SOURCE_MONOTONIC_TIMESTAMP", "1"}, {"MESSAGE", "\x00\x01 binary"}}},
	}
	file := filepath.Join(t.TempDir(), "system.journal")
	writeJournal(t, file, entries)
	const script = `import json, sys
from systemd import journal
from fail2ban.server.filtersystemd import FilterSystemd
class F:
    jailName = "test"
    def getLogEncoding(self): return "latin-1"
F.getJrnEntTime = FilterSystemd.getJrnEntTime
r = journal.Reader(files=[json.load(sys.stdin)])
r.seek_head()
out = []
for e in r:
    line, tm = FilterSystemd.formatJournalEntry(F(), e)
    out.append([line[2], tm])
print(json.dumps(out))`
	var want [][2]any
	runPython(t, script, file, &want)
	if jr, err := sdjournal.NewJournalFromFiles(file); err == nil {
		if NewEntryReader(jr, nil).fast == nil {
			t.Error("EntryReader fell back to the slow path (go-systemd's Journal layout changed?)")
		}
		jr.Close()
	}
	j := newTestJournal(t, JournalOptions{Files: []string{file}, Start: base.Add(-time.Minute), Encoding: "latin-1"})
	got := collect(t, startJournal(t, j), len(entries))
	if len(want) != len(entries) {
		t.Fatalf("python read %d entries, want %d", len(want), len(entries))
	}
	for i, w := range want {
		text, secs := w[0].(string), w[1].(float64)
		if got[i].Text != text {
			t.Errorf("entry %d text = %q, fail2ban %q", i, got[i].Text, text)
		}
		if d := float64(got[i].Time.UnixMicro())/1e6 - secs; math.Abs(d) > 1e-6 {
			t.Errorf("entry %d time = %v, fail2ban %f", i, got[i].Time, secs)
		}
	}
}
