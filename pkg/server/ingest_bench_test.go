package server

import (
	"fmt"
	"io"
	"log/slog"
	"syscall"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/backend"
	"github.com/f2b/f2b/pkg/config"
	"github.com/f2b/f2b/pkg/logging"
)

// stockSSHDJail returns a stopped jail with the stock sshd filter of
// /etc/fail2ban (skipping without it), logging at NOTICE as the ingestion
// benchmark's server does, counting every failure and never banning.
func stockSSHDJail(tb testing.TB) *Jail {
	tb.Helper()
	def, err := config.LoadFilter("/etc/fail2ban", "sshd", nil)
	if err != nil {
		tb.Skipf("stock sshd filter: %v", err)
	}
	target, err := logging.OpenTarget("STDOUT", logging.TargetOptions{Stdout: io.Discard})
	if err != nil {
		tb.Fatal(err)
	}
	lv := new(slog.LevelVar)
	lv.Set(logging.LevelNotice)
	s := New(Options{Logger: slog.New(logging.New(target, logging.Options{Level: lv, PID: 7}))})
	j, err := s.newJail("sshd", "polling")
	if err != nil {
		tb.Fatal(err)
	}
	j.fopts.FailRegex = def.FailRegex
	j.fopts.IgnoreRegex = def.IgnoreRegex
	j.fopts.PrefRegex = def.PrefRegex
	j.fopts.UseDNS = "no"
	j.datepattern = def.DatePattern
	j.core.SetMaxRetry(1 << 30)
	j.core.SetMaxMatches(1 << 30)
	j.core.SetFindTime(24 * time.Hour)
	j.core.SetIgnoreSelf(false)
	return j
}

// authLines are n auth.log lines in the mix of test/e2e/benchserver (40 %
// failures from 500 addresses, the rest benign), stamped now.
func authLines(n int) []backend.Line {
	stamp := time.Now().Format(time.Stamp)
	lines := make([]backend.Line, n)
	pos := int64(0)
	for i := range lines {
		bad := fmt.Sprintf("%s.%d", [...]string{"198.51.100", "203.0.113"}[i%2], i/2%250+1)
		good := fmt.Sprintf("192.0.2.%d", i%250+1)
		pid := 10000 + i
		var t string
		switch i % 10 {
		case 0, 5:
			t = fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from %s port %d ssh2", stamp, pid, bad, 30000+i%30000)
		case 2:
			t = fmt.Sprintf("%s web1 sshd[%d]: Failed password for invalid user admin%d from %s port %d ssh2", stamp, pid, i%97, bad, 30000+i%30000)
		case 7:
			t = fmt.Sprintf("%s web1 sshd[%d]: Invalid user oracle%d from %s port %d", stamp, pid, i%89, bad, 30000+i%30000)
		case 1:
			t = fmt.Sprintf("%s web1 sshd[%d]: Accepted publickey for deploy from %s port %d ssh2: ED25519 SHA256:Zm9vYmFy", stamp, pid, good, 30000+i%30000)
		case 3:
			t = fmt.Sprintf("%s web1 sshd[%d]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)", stamp, pid)
		case 4:
			t = fmt.Sprintf("%s web1 CRON[%d]: pam_unix(cron:session): session closed for user root", stamp, pid)
		case 6:
			t = fmt.Sprintf("%s web1 sshd[%d]: Received disconnect from %s port %d:11: disconnected by user", stamp, pid, good, 30000+i%30000)
		case 8:
			t = fmt.Sprintf("%s web1 sshd[%d]: Connection closed by %s port %d [preauth]", stamp, pid, good, 30000+i%30000)
		case 9:
			t = fmt.Sprintf("%s web1 systemd[1]: Started session-%d.scope - Session %d of User deploy.", stamp, i, i)
		}
		pos += int64(len(t) + 1)
		lines[i] = backend.Line{Text: t, File: "/var/log/auth.log", Pos: pos, Live: true}
	}
	return lines
}

// BenchmarkIngest_StockSSHD is f2b-server's ingestion without the file
// backend: 10,000 auth.log lines per op through the jail's pipeline in
// batches as the backend channel delivers them, then to the core.
func BenchmarkIngest_StockSSHD(b *testing.B) {
	j := stockSSHDJail(b)
	if err := j.core.Start(b.Context()); err != nil {
		b.Fatal(err)
	}
	lines := authLines(10000)
	p := &pipe{j: j, gen: -1}
	ctx := b.Context()
	p.process(ctx, lines[:1]) // build the filter outside the timing
	p.settle()
	b.ResetTimer()
	cpu0 := cpuTime(b)
	for b.Loop() {
		for i := 0; i < len(lines); i += maxBatch {
			p.process(ctx, lines[i:min(i+maxBatch, len(lines))])
		}
		p.settle()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
	// CPU time, not wall time, is what a shared machine leaves steady.
	b.ReportMetric(float64((cpuTime(b)-cpu0).Nanoseconds())/float64(b.N*len(lines)), "cpu-ns/line")
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
