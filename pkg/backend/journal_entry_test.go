//go:build cgo

package backend

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

// The one-call fast path and the field-by-field fallback (used when
// go-systemd's handle cannot be found) read the same text, time and
// position from every entry.
func TestEntryReader_FastMatchesSlow(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }
	entries := []entry{
		sshdEntry(at(0), 1),
		{rt: at(1), fields: [][2]string{{"_PID", "1"}, {"SYSLOG_PID", "2"}, {"_COMM", "c"}, {"SYSLOG_IDENTIFIER", "i"}, {"MESSAGE", "m"}}},
		{rt: at(2), fields: [][2]string{{"SYSLOG_IDENTIFIER", "kernel"}, {"MESSAGE", "k"}}},
		{rt: at(3), fields: [][2]string{{"SYSLOG_IDENTIFIER", "kernel"}, {"_SOURCE_MONOTONIC_TIMESTAMP", "5"}, {"MESSAGE", "k"}}},
		{rt: at(4), fields: [][2]string{{"_SOURCE_REALTIME_TIMESTAMP", "1700000000000001"}, {"MESSAGE", "src"}}},
		{rt: at(5), fields: [][2]string{{"_HOSTNAME", "h\xff"}, {"MESSAGE", strings.Repeat("x\n\xfe", 5000)}}},
		{rt: at(6), fields: [][2]string{{"_COMM", "nomsg"}}},
		{rt: at(7), fields: [][2]string{{"MESSAGE_ID", "not MESSAGE"}, {"_HOSTNAMEX", "not _HOSTNAME"}, {"MESSAGE", "prefix fields"}}},
	}
	file := filepath.Join(t.TempDir(), "system.journal")
	writeJournal(t, file, entries)
	dec, err := NewDecoder("latin-1")
	if err != nil {
		t.Fatal(err)
	}
	type read struct {
		text string
		tm   time.Time
		pos  uint64
	}
	readAll := func(fast bool) []read {
		jr, err := sdjournal.NewJournalFromFiles(file)
		if err != nil {
			t.Fatal(err)
		}
		defer jr.Close()
		er := NewEntryReader(jr, dec)
		if fast && er.fast == nil {
			t.Fatal("fast path unavailable")
		}
		if !fast {
			er.fast = nil
		}
		var out []read
		for {
			if n, err := jr.Next(); err != nil || n == 0 {
				return out
			}
			text, tm, pos, err := er.Read()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, read{text: text, tm: tm, pos: pos})
		}
	}
	fast, slow := readAll(true), readAll(false)
	if len(fast) != len(entries) || len(slow) != len(entries) {
		t.Fatalf("read %d (fast) and %d (slow) entries, want %d", len(fast), len(slow), len(entries))
	}
	for i := range fast {
		if fast[i].text != slow[i].text || !fast[i].tm.Equal(slow[i].tm) || fast[i].pos != slow[i].pos {
			t.Errorf("entry %d: fast %+v, slow %+v", i, fast[i], slow[i])
		}
	}
	if got, want := fast[7].text, "prefix fields"; got != want {
		t.Errorf("entry 7 text = %q, want %q", got, want)
	}
}
