package filter_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/filter"
)

// benchLines runs lines through f b.N times, as f2b-server and the
// regex tester do (ProcessLineInto, one Result reused), and reports
// lines/s, both per wall-clock second and per second of CPU time of the
// process (the latter stays meaningful on a loaded, shared machine; run
// -cpu 1).
func benchLines(b *testing.B, f *filter.Filter, lines []string) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	var res filter.Result
	for i := 0; b.Loop(); i++ {
		f.ProcessLineInto(lines[i%len(lines)], &res)
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "lines/cpu-s")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// phpAPI builds the php-api reference filter: one anchored failregex with
// <ADDR> and an ISO date at line start.
func phpAPI(b *testing.B) *filter.Filter {
	b.Helper()
	f, err := filter.New(filter.Options{
		FailRegex:   []string{`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`},
		DatePattern: `^{DATE}`,
		Now:         batchClock(time.Now()),
	})
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkPHPAPI runs php-api on matching lines.
func BenchmarkPHPAPI(b *testing.B) {
	f := phpAPI(b)
	lines := []string{
		"2026-11-25T13:01:02 192.0.2.1 - Incorrect token used. (more info here ...)",
		"2026-11-25T13:01:03 192.0.2.7 - Incorrect token used. (more info here ...)",
		"2026-11-25T13:01:04 198.51.100.3 admin Incorrect token used. (more info here ...)",
	}
	if r := f.ProcessLine(lines[0]); len(r.Failures) != 1 {
		b.Fatalf("reference line does not match: %+v", r)
	}
	benchLines(b, f, lines)
}

// BenchmarkPHPAPINoMatch runs php-api on lines of the same log that are
// not failures (the common case): the required literal rejects them
// after date detection, without a regex search or an allocation.
func BenchmarkPHPAPINoMatch(b *testing.B) {
	f := phpAPI(b)
	lines := []string{
		"2026-11-25T13:01:02 192.0.2.1 - Token accepted for user admin (session 42)",
		"2026-11-25T13:01:03 192.0.2.7 - GET /api/v1/items 200",
		"2026-11-25T13:01:04 198.51.100.3 admin Incorrect password used. (more info here ...)",
	}
	for _, l := range lines {
		if r := f.ProcessLine(l); len(r.Failures) != 0 {
			b.Fatalf("non-matching line matches: %q", l)
		}
	}
	benchLines(b, f, lines)
}

// authLogMix reads testdata/authlog-mix.log: a realistic auth.log, mostly
// benign sshd/pam/cron lines and some failures (scripts/bench/filter.sh
// feeds the same file to fail2ban).
func authLogMix(b *testing.B) []string {
	b.Helper()
	data, err := os.ReadFile("testdata/authlog-mix.log")
	if err != nil {
		b.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// sshdDef loads the stock sshd filter as fail2ban reads it.
func sshdDef(b *testing.B) filter.Options {
	b.Helper()
	out, err := sshdDefJSON()
	if err != nil {
		b.Skipf("stock sshd filter needs fail2ban's config reader (python3 + fail2ban): %v", err)
	}
	var d struct {
		PrefRegex   string   `json:"prefregex"`
		FailRegex   []string `json:"failregex"`
		IgnoreRegex []string `json:"ignoreregex"`
		MaxLines    int      `json:"maxlines"`
		DatePattern string   `json:"datepattern"`
	}
	if err := json.Unmarshal(out, &d); err != nil {
		b.Fatal(err)
	}
	return filter.Options{
		PrefRegex: d.PrefRegex, FailRegex: d.FailRegex, IgnoreRegex: d.IgnoreRegex,
		MaxLines: d.MaxLines, DatePattern: d.DatePattern,
		Now: batchClock(time.Date(2026, 11, 25, 13, 1, 12, 0, time.Local)),
	}
}

// sshdDefJSON prints the stock sshd definition as testdata/oracle.py
// --def does, or reads a copy of that output from the file that
// F2B_SSHD_DEF names: Python cannot run under valgrind, so instruction
// counts (callgrind) of BenchmarkSSHD need the definition dumped first.
func sshdDefJSON() ([]byte, error) {
	if file := os.Getenv("F2B_SSHD_DEF"); file != "" {
		return os.ReadFile(file)
	}
	return exec.Command(f2bPython, "testdata/oracle.py", "--def", f2bConfDir, "sshd").Output()
}

// batchClock is a filter clock as f2b-server gives its filters: the system
// clock read once per batch of lines (pkg/server's batchClock), here once
// per benchmark; each call costs what the server's does.
func batchClock(t time.Time) func() time.Time {
	var ns atomic.Int64
	ns.Store(t.UnixNano())
	return func() time.Time { return time.Unix(0, ns.Load()) }
}

// BenchmarkSSHD runs the stock sshd filter (mode normal) on authLogMix.
func BenchmarkSSHD(b *testing.B) {
	f, err := filter.New(sshdDef(b))
	if err != nil {
		b.Fatal(err)
	}
	lines := authLogMix(b)
	n := 0
	for _, l := range lines {
		n += len(f.ProcessLine(l).Failures)
	}
	if n < 3 {
		b.Fatalf("only %d failures in the auth.log mix", n)
	}
	benchLines(b, f, lines)
}

// BenchmarkEngines compares RE2 and regexp2 on the same pattern.
func BenchmarkEngines(b *testing.B) {
	text := "Failed password for invalid user admin from 203.0.113.9 port 51000 ssh2\n"
	for _, c := range []struct{ name, expr string }{
		{name: "re2", expr: `^Failed \S+ for (?:invalid user )?(?P<user>\S+) from <HOST> port \d+`},
		{name: "regexp2", expr: `^Failed \S+ for (?:invalid user )?(?P<user>\S+) from <HOST> port \d+(?= ssh2)`},
	} {
		r, err := filter.CompileRegex(filter.ExpandTags(c.expr, "warn"), filter.RegexOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%s/%s", c.name, r.Engine()), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if m, _ := r.Search(text); m == nil {
					b.Fatal("no match")
				}
			}
		})
	}
}

// BenchmarkSSHDPipeline is BenchmarkSSHD through a Pipeline with
// GOMAXPROCS workers: lines/s is the wall-clock rate on all cores.
func BenchmarkSSHDPipeline(b *testing.B) {
	f, err := filter.New(sshdDef(b))
	if err != nil {
		b.Fatal(err)
	}
	lines := authLogMix(b)
	n := 0
	p := filter.NewPipeline(f, 0, func(_ string, _ struct{}, res *filter.Result) { n += len(res.Failures) })
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		p.Add(lines[i%len(lines)], struct{}{})
	}
	p.Close()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "lines/cpu-s")
	}
	if b.N >= len(lines) && n == 0 {
		b.Fatal("no failures through the pipeline")
	}
}
