package regextest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchLog writes n deterministic sshd lines (about 20 % failures).
func benchLog(tb testing.TB, n int) string {
	tb.Helper()
	var b strings.Builder
	seed := uint32(12345)
	rnd := func(m uint32) uint32 { seed = seed*1103515245 + 12345; return (seed >> 8) % m }
	for i := 0; i < n; i++ {
		ts := fmt.Sprintf("Nov 25 %02d:%02d:%02d", i/14400%24, i/240%60, i/4%60)
		ip := fmt.Sprintf("10.%d.%d.%d", rnd(8), rnd(250), 1+rnd(250))
		var msg string
		switch k := rnd(100); {
		case k < 10:
			msg = fmt.Sprintf("Failed password for root from 203.0.%d.%d port %d ssh2", rnd(8), 1+rnd(250), 1024+rnd(60000))
		case k < 20:
			msg = fmt.Sprintf("Invalid user admin from 198.51.%d.%d port %d", rnd(8), 1+rnd(250), 1024+rnd(60000))
		case k < 45:
			msg = fmt.Sprintf("Accepted publickey for git from %s port %d ssh2: RSA SHA256:abc", ip, 1024+rnd(60000))
		case k < 70:
			msg = "pam_unix(sshd:session): session opened for user git(uid=1000) by (uid=0)"
		case k < 85:
			msg = fmt.Sprintf("Received disconnect from %s port %d:11: disconnected by user", ip, 1024+rnd(60000))
		default:
			msg = fmt.Sprintf("Disconnected from user git %s port %d", ip, 1024+rnd(60000))
		}
		fmt.Fprintf(&b, "%s host sshd[%d]: %s\n", ts, 1000+rnd(30000), msg)
	}
	p := filepath.Join(tb.TempDir(), "auth.log")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkSSHDFile runs the whole tester over an sshd log with the
// stock sshd filter (the configuration under testdata).
func BenchmarkSSHDFile(b *testing.B) {
	const n = 100000
	log := benchLog(b, n)
	cfg := stockConfig(b)
	b.ResetTimer()
	for b.Loop() {
		env := Env{Stdout: io.Discard, Stderr: io.Discard}
		if code := Main(context.Background(), []string{"-c", cfg, log, "sshd"}, env); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "lines/s")
}
