package backend

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

const benchLine = "Nov 25 12:36:30 host sshd[1234]: Failed password for invalid user admin from 203.0.113.7 port 51234 ssh2\n"

// BenchmarkFiles_Throughput measures lines/s from an already written file
// through Run to a consumer: read, split, decode, channel hand-over.
func BenchmarkFiles_Throughput(b *testing.B) {
	name := filepath.Join(b.TempDir(), "auth.log")
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for range b.N {
		w.WriteString(benchLine)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	fs, err := NewFiles(FilesOptions{Mode: ModePolling, Encoding: "utf-8"})
	if err != nil {
		b.Fatal(err)
	}
	if err := fs.AddPath(PathSpec{Name: name}); err != nil {
		b.Fatal(err)
	}
	out := make(chan Line, 4096)
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	b.SetBytes(int64(len(benchLine)))
	b.ResetTimer()
	start := time.Now()
	go fs.Run(ctx, out)
	for range b.N {
		<-out
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "lines/s")
}

// BenchmarkFiles_Latency measures the time from a line's append to its
// emission with inotify; p50 and p95 are reported in microseconds.
func BenchmarkFiles_Latency(b *testing.B) {
	name := filepath.Join(b.TempDir(), "auth.log")
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	fs, err := NewFiles(FilesOptions{Mode: ModeInotify, Encoding: "utf-8"})
	if err != nil {
		b.Fatal(err)
	}
	if err := fs.AddPath(PathSpec{Name: name}); err != nil {
		b.Fatal(err)
	}
	out := make(chan Line, 16)
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	go fs.Run(ctx, out)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		line := benchLine[:len(benchLine)-1] + " " + strconv.Itoa(i) + "\n"
		t0 := time.Now()
		if _, err := f.WriteString(line); err != nil {
			b.Fatal(err)
		}
		<-out
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds()), "p95-µs")
}
