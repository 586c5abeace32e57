package logging

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// BenchmarkHandler_Ban is the cost of one "[jail] Ban ip" line.
func BenchmarkHandler_Ban(b *testing.B) {
	target, err := OpenTarget("STDOUT", TargetOptions{Stdout: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	l := Named(slog.New(New(target, Options{})), "fail2ban.actions")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		l.Log(ctx, LevelNotice, "[sshd] Ban 192.0.2.1")
	}
}

// BenchmarkRateLimit_Dropped is the cost of a suppressed record.
func BenchmarkRateLimit_Dropped(b *testing.B) {
	target, _ := OpenTarget("STDOUT", TargetOptions{Stdout: io.Discard})
	l := slog.New(RateLimit(New(target, Options{Level: LevelDebug}), RateOptions{Burst: 1}))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		l.Log(ctx, LevelDebug, "no match", KeyRate, "nomatch")
	}
}

// BenchmarkAppendDateTime is the time of "[jail] Found <ip> - <time>",
// printed for every failure and every socket attempt; compare
// BenchmarkAppendDateTime_Layout, the generic layout interpreter.
func BenchmarkAppendDateTime(b *testing.B) {
	at := time.Date(2026, 11, 25, 12, 41, 5, 0, time.Local)
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf = AppendDateTime(buf[:0], at)
	}
}

func BenchmarkAppendDateTime_Layout(b *testing.B) {
	at := time.Date(2026, 11, 25, 12, 41, 5, 0, time.Local)
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf = at.AppendFormat(buf[:0], DateTimeLayout)
	}
}
