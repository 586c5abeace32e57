//go:build cgo

package backend

import (
	"context"
	"path/filepath"
	"testing"
	"time"
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
