//go:build cgo

package backend

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

// BenchmarkJournal_Read measures entries/s read from a real journal file
// (10 000 sshd entries per op) through Run: libsystemd iteration, field
// enumeration, fail2ban's text building and the channel hand-over.
func BenchmarkJournal_Read(b *testing.B) {
	const n = 10000
	base := time.Now().Add(-time.Hour)
	es := make([]entry, n)
	for i := range es {
		es[i] = sshdEntry(base.Add(time.Duration(i)*time.Millisecond), i)
	}
	file := filepath.Join(b.TempDir(), "system.journal")
	writeJournalB(b, file, es)
	b.ResetTimer()
	var reading time.Duration
	for range b.N {
		j, err := NewJournal(JournalOptions{Files: []string{file}, Start: base.Add(-time.Second)})
		if err != nil {
			b.Fatal(err)
		}
		out := make(chan Line, 1024)
		ctx, cancel := context.WithCancel(b.Context())
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- j.Run(ctx, out) }()
		for range n {
			<-out
		}
		reading += time.Since(start)
		b.StopTimer() // stopping waits out the current journal wait
		cancel()
		<-done
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/reading.Seconds(), "entries/s")
}

// benchJournalFile writes n sshd entries shaped like a real sshd entry
// (trusted fields included) and returns the file.
func benchJournalFile(b *testing.B, n int) string {
	base := time.Now().Add(-time.Hour)
	es := make([]entry, n)
	for i := range es {
		es[i] = sshdEntry(base.Add(time.Duration(i)*time.Millisecond), i)
		es[i].fields = append(es[i].fields, [][2]string{
			{"_UID", "0"}, {"_GID", "0"}, {"_EXE", "/usr/sbin/sshd"}, {"_CMDLINE", "sshd: root [priv]"},
			{"SYSLOG_FACILITY", "4"}, {"PRIORITY", "6"}, {"_TRANSPORT", "syslog"}, {"_CAP_EFFECTIVE", "1ffffffffff"},
			{"_SYSTEMD_CGROUP", "/system.slice/ssh.service"}, {"_SYSTEMD_SLICE", "system.slice"},
			{"_MACHINE_ID", "0123456789abcdef0123456789abcdef"}, {"SYSLOG_TIMESTAMP", "Nov 25 14:00:00 "},
		}...)
	}
	file := filepath.Join(b.TempDir(), "system.journal")
	writeJournalB(b, file, es)
	return file
}

// benchJournalPass reads every entry of file once with read, as the regex
// tester does, and reports µs per entry.
func benchJournalPass(b *testing.B, read func(*sdjournal.Journal) (string, error)) {
	const n = 10000
	file := benchJournalFile(b, n)
	b.ResetTimer()
	cpu0 := cpuTime(b)
	for range b.N {
		jr, err := sdjournal.NewJournalFromFiles(file)
		if err != nil {
			b.Fatal(err)
		}
		jr.SetDataThreshold(0)
		jr.SeekHead()
		got := 0
		for {
			if k, err := jr.Next(); err != nil || k == 0 {
				break
			}
			if _, err := read(jr); err != nil {
				b.Fatal(err)
			}
			got++
		}
		jr.Close()
		if got != n {
			b.Fatalf("read %d entries, want %d", got, n)
		}
	}
	// CPU time, not wall time: the machine is shared, and a loaded one
	// stretches wall time without changing the work done.
	cpu := cpuTime(b) - cpu0
	b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu-µs/entry")
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkJournal_EntryReader is the fast path: only the fields fail2ban's
// line needs.
func BenchmarkJournal_EntryReader(b *testing.B) {
	var er *EntryReader
	dec, _ := NewDecoder("utf-8")
	benchJournalPass(b, func(jr *sdjournal.Journal) (string, error) {
		if er == nil || er.jr != jr {
			er = NewEntryReader(jr, dec)
		}
		text, _, _, err := er.Read()
		return text, err
	})
}

// BenchmarkJournal_GetEntry is the slow path it replaces: every field of
// the entry through sdjournal's GetEntry.
func BenchmarkJournal_GetEntry(b *testing.B) {
	dec, _ := NewDecoder("utf-8")
	benchJournalPass(b, func(jr *sdjournal.Journal) (string, error) {
		e, err := jr.GetEntry()
		if err != nil {
			return "", err
		}
		_ = EntryTime(e.Fields, e.RealtimeTimestamp)
		return FormatEntry(e.Fields, time.Duration(e.MonotonicTimestamp)*time.Microsecond, dec), nil
	})
}

// BenchmarkJournal_NextOnly is the floor: libsystemd's iteration and the
// realtime stamp, with no field read.
func BenchmarkJournal_NextOnly(b *testing.B) {
	benchJournalPass(b, func(jr *sdjournal.Journal) (string, error) {
		_, err := jr.GetRealtimeUsec()
		return "", err
	})
}

// BenchmarkJournal_FileReader is the regex tester's path: the journal file
// read directly (JournalFileReader), the same entries as the benchmarks
// above, with the stock sshd filter's journalmatch.
func BenchmarkJournal_FileReader(b *testing.B) {
	const n = 10000
	file := benchJournalFile(b, n)
	dec, _ := NewDecoder("utf-8")
	match := []string{"_SYSTEMD_UNIT=sshd.service", "+", "_COMM=sshd"}
	b.ResetTimer()
	cpu0 := cpuTime(b)
	for range b.N {
		got := 0
		err := ReadJournalFiles(b.Context(), []string{file}, match, dec, func(string, time.Time) { got++ })
		if err != nil {
			b.Fatal(err)
		}
		if got != n {
			b.Fatalf("read %d entries, want %d", got, n)
		}
	}
	cpu := cpuTime(b) - cpu0
	b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu-µs/entry")
}
