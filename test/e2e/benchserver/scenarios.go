package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sshdJail is the stock sshd jail on our own auth.log.
const sshdJail = `[DEFAULT]
usedns = no
[sshd]
enabled = true
backend = @BACKEND@
logpath = @DIR@/auth.log
maxretry = @MAXRETRY@
findtime = 1d
bantime = 1d
banaction = @ACTION@
`

func sshdConf(o options, maxretry, action string) string {
	return strings.NewReplacer("@BACKEND@", o.backend, "@MAXRETRY@", maxretry, "@ACTION@", action).Replace(sshdJail)
}

// warmIP fails once before an ingestion run; authLog never uses it.
const warmIP = "203.0.113.251"

// ingest appends o.lines auth.log lines and times until every failure
// is counted.
func ingest(o options) error {
	e, err := newEnv(o, sshdConf(o, "1000000000", "bench-noop"), "auth.log")
	if err != nil {
		return err
	}
	defer e.close()
	if err := e.start(1); err != nil {
		return err
	}
	chunks, want := authLog(o.lines, time.Now())
	poll, err := e.dialStatus("sshd")
	if err != nil {
		return err
	}
	defer poll.close()
	// One failure first, counted before the clock starts: the jail is then
	// running as it does after its first log line. fail2ban compiles a
	// jail's filter at start, f2b on the first line (idle jails stay
	// small); that one-off is not ingestion.
	if err := e.appendFile("auth.log", failLines(warmIP, 0, 1)); err != nil {
		return err
	}
	err = e.waitFor(time.Minute, 5*time.Millisecond, func() (bool, error) {
		n, err := poll.totalFailed()
		return n >= 1, err
	})
	if err != nil {
		return err
	}
	want++
	cpu0, err := e.cpuSeconds()
	if err != nil {
		return err
	}
	t0 := time.Now()
	for _, c := range chunks {
		if err := e.appendFile("auth.log", c); err != nil {
			return err
		}
	}
	err = e.waitFor(10*time.Minute, 10*time.Millisecond, func() (bool, error) {
		n, err := poll.totalFailed()
		return n >= want, err
	})
	if err != nil {
		return err
	}
	d := time.Since(t0)
	cpu1, err := e.cpuSeconds()
	if err != nil {
		return err
	}
	fmt.Printf("ingest_seconds %.3f\ningest_lines_per_second %.0f\ningest_failures %d\n", d.Seconds(), float64(o.lines)/d.Seconds(), want-1)
	// Server CPU time is steadier than wall time on a loaded machine.
	fmt.Printf("ingest_cpu_seconds %.3f\n", cpu1-cpu0)
	return nil
}

// latency measures from writing the maxretry-th failure to the start of
// actionban, which writes the IP into a FIFO we read.
func latency(o options) error {
	e, err := newEnv(o, sshdConf(o, "3", "bench-fifo"), "auth.log")
	if err != nil {
		return err
	}
	defer e.close()
	fifo := filepath.Join(e.dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		return err
	}
	// O_RDWR: never blocks on open and never sees EOF between writers.
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	banned := make(chan string, 16)
	stamps := make(chan time.Time, 16)
	go func() {
		s := bufio.NewScanner(f)
		for s.Scan() {
			stamps <- time.Now()
			banned <- s.Text()
		}
	}()
	if err := e.start(1); err != nil {
		return err
	}
	var lat []time.Duration
	for i := range o.count {
		ip := fmt.Sprintf("198.51.100.%d", i%250+1)
		if i >= 250 {
			ip = fmt.Sprintf("203.0.113.%d", i%250+1)
		}
		if err := e.appendFile("auth.log", failLines(ip, i, 2)); err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond) // let the first two be counted
		last := failLines(ip, i+1000, 1)
		t0 := time.Now()
		if err := e.appendFile("auth.log", last); err != nil {
			return err
		}
		select {
		case t1 := <-stamps:
			if got := <-banned; got != ip {
				return fmt.Errorf("actionban for %q, want %q", got, ip)
			}
			lat = append(lat, t1.Sub(t0))
		case <-time.After(30 * time.Second):
			return fmt.Errorf("no ban of %s within 30s; output:\n%s", ip, e.out.String())
		}
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("latency_p50_ms %.2f\nlatency_p95_ms %.2f\nlatency_max_ms %.2f\n",
		ms(lat[len(lat)/2]), ms(lat[len(lat)*95/100]), ms(lat[len(lat)-1]))
	return nil
}

// idleJails are ten stock jails, each on its own empty log file.
var idleJails = []string{"sshd", "nginx-http-auth", "nginx-botsearch", "apache-auth", "apache-badbots",
	"apache-overflows", "postfix", "dovecot", "vsftpd", "proftpd"}

// idle reports VmRSS with the ten stock jails started and nothing to do.
func idle(o options) error {
	var b strings.Builder
	b.WriteString("[DEFAULT]\nusedns = no\nbanaction = bench-noop\n")
	var logs []string
	for _, j := range idleJails {
		fmt.Fprintf(&b, "[%s]\nenabled = true\nbackend = %s\nlogpath = @DIR@/%s.log\n", j, o.backend, j)
		logs = append(logs, j+".log")
	}
	e, err := newEnv(o, b.String(), logs...)
	if err != nil {
		return err
	}
	defer e.close()
	if err := e.start(len(idleJails)); err != nil {
		return err
	}
	time.Sleep(3 * time.Second) // startup settles
	rss, err := e.rss()
	if err != nil {
		return err
	}
	anon, err := e.procStatus("RssAnon:")
	if err != nil {
		return err
	}
	file, err := e.procStatus("RssFile:")
	if err != nil {
		return err
	}
	fmt.Printf("idle_rss_bytes %d\nidle_rss_anon_bytes %d\nidle_rss_file_bytes %d\n", rss, anon, file)
	if o.hold > 0 {
		fmt.Fprintf(os.Stderr, "benchserver: holding server pid %d for %s\n", e.srv.Process.Pid, o.hold)
		time.Sleep(o.hold)
	}
	return nil
}

// bans holds o.count bans made with banip in batches (no-op action) and
// reports the growth of VmRSS per ban.
func bans(o options) error {
	e, err := newEnv(o, sshdConf(o, "3", "bench-noop"), "auth.log")
	if err != nil {
		return err
	}
	defer e.close()
	if err := e.start(1); err != nil {
		return err
	}
	time.Sleep(time.Second)
	before, err := e.rss()
	if err != nil {
		return err
	}
	const batch = 10000
	t0 := time.Now()
	total := 0
	for i := 0; i < o.count; i += batch {
		args := []string{"set", "sshd", "banip"}
		for k := i; k < min(i+batch, o.count); k++ {
			args = append(args, fmt.Sprintf("fd42:f2b:e2e::%x:%x", k>>16, k&0xffff))
		}
		out, err := e.client(args...)
		if err != nil {
			return fmt.Errorf("banip: %v: %s", err, out)
		}
		n, err := strconv.Atoi(strings.TrimSpace(out))
		if err != nil {
			return fmt.Errorf("banip reply %q: %w", out, err)
		}
		total += n
	}
	d := time.Since(t0)
	// `status` would list every banned IP; banip's counts say the same.
	if total != o.count {
		return fmt.Errorf("banip banned %d of %d", total, o.count)
	}
	after, err := e.rss()
	if err != nil {
		return err
	}
	fmt.Printf("bans_held %d\nbans_seconds %.1f\nbans_us_per_ban %.0f\nbans_rss_bytes %d\nbans_bytes_per_ban %.0f\n",
		o.count, d.Seconds(), float64(d.Microseconds())/float64(o.count), after, float64(after-before)/float64(o.count))
	return nil
}
