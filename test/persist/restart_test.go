package persist

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func streamJail(dir string) string { return streamJailBanTime(dir, "1h") }

func streamJailBanTime(dir, bantime string) string {
	return `[php-api]
enabled  = true
filter   = php-api
logpath  = ` + dir + `/php-api.log
maxretry = 1
findtime = 30m
bantime  = ` + bantime + `
action   = record
           recordnr
`
}

// writer appends one failure line per new address until stopped.
type writer struct {
	path string
	n    atomic.Int64
	stop chan struct{}
	done chan error
}

func startWriter(path string) *writer {
	w := &writer{path: path, stop: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		for {
			select {
			case <-w.stop:
				w.done <- nil
				return
			default:
			}
			n := int(w.n.Load())
			lines := make([]string, 2)
			for i := range lines {
				lines[i] = failLine(time.Now(), ipN(n+i), n+i)
			}
			if err := appendFile(w.path, lines...); err != nil {
				w.done <- err
				return
			}
			w.n.Add(int64(len(lines)))
			time.Sleep(20 * time.Millisecond) // pacing, not synchronisation
		}
	}()
	return w
}

func (w *writer) finish(t *testing.T) int {
	t.Helper()
	close(w.stop)
	if err := <-w.done; err != nil {
		t.Fatal(err)
	}
	return int(w.n.Load())
}

var foundRE = regexp.MustCompile(`\[php-api\] Found (\S+) - `)

// TestRestart_StreamNoLossNoDuplicate restarts the server three times
// while another goroutine keeps appending failure lines, one new address
// per line and maxretry 1: every address must be found exactly once over
// all runs, banned exactly once by the norestored action, re-banned by the
// other action on each restore, and still banned with its first end time.
func TestRestart_StreamNoLossNoDuplicate(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts the server several times")
	}
	e := newEnv(t, "", 1)
	e.write("jail.local", streamJail(e.dir))
	e.appendLines("php-api.log", "2020-01-01T00:00:00 header line, not a failure")
	e.start(ourServer)
	w := startWriter(e.path("php-api.log"))
	var first string // --with-time of the first address, from run 1
	for run := range 3 {
		before := banLines(e.readFile("bans-nr"))
		eventually(t, "new bans in this run", func() bool {
			return banLines(e.readFile("bans-nr")) > before+20
		})
		if run == 0 {
			first = withTime(t, e, ipN(0))
		}
		e.stop()
		e.start(ourServer)
	}
	total := w.finish(t)
	var status string
	eventuallyOr(t, fmt.Sprintf("all %d addresses banned", total), func() bool {
		status, _ = e.client("status", "php-api")
		return statusField(status, "Currently banned") == strconv.Itoa(total)
	}, func() string {
		return status[:min(len(status), 300)] + "\nmissing: " + missing(status, total) + "\nlog: " + e.path("server.log")
	})
	if got := withTime(t, e, ipN(0)); got != first {
		t.Errorf("restored ban of %s changed end:\n got %q\nwant %q", ipN(0), got, first)
	}
	// The server writes its log in batches (at most 50 ms apart): wait
	// until every address's Found line is there.
	found := map[string]int{}
	eventually(t, "every Found line in the log", func() bool {
		found = map[string]int{}
		for _, m := range foundRE.FindAllStringSubmatch(e.readFile("server.log"), -1) {
			found[m[1]]++
		}
		return len(found) >= total
	})
	// Restored bans enter the ban list before their actions run: wait
	// until the record action has caught up with the logged restores.
	var rec string
	eventuallyOr(t, "restored actions", func() bool {
		rec = e.readFile("bans")
		return banLines(rec) == total+strings.Count(e.readFile("server.log"), "Restore Ban ")
	}, func() string { return fmt.Sprintf("%d ban lines", banLines(rec)) })
	nr := e.readFile("bans-nr")
	restoredRuns := 0
	for i := range total {
		ip := ipN(i)
		if found[ip] != 1 {
			t.Errorf("%s found %d times, want 1", ip, found[ip])
		}
		if n := countLines(nr, "ban "+ip); n != 1 {
			t.Errorf("norestored action banned %s %d times, want 1", ip, n)
		}
		n := countLines(rec, "ban "+ip)
		if n < 1 || n > 4 {
			t.Errorf("record action banned %s %d times, want 1 + restores (≤ 3)", ip, n)
		}
		restoredRuns += n - 1
	}
	if len(found) != total {
		t.Errorf("found %d addresses, wrote %d", len(found), total)
	}
	if restoredRuns == 0 {
		t.Error("no ban was restored")
	}
	t.Logf("%d lines over 4 runs, %d restored re-bans", total, restoredRuns)
}

// withTime returns the "get <jail> banip --with-time" line of ip.
func withTime(t *testing.T, e *env, ip string) string {
	t.Helper()
	out, err := e.client("get", "php-api", "banip", "--with-time")
	if err != nil {
		t.Fatalf("get banip --with-time: %v\n%s", err, out)
	}
	for l := range strings.SplitSeq(out, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == ip {
			return strings.TrimSpace(l)
		}
	}
	t.Fatalf("%s not in --with-time output:\n%s", ip, tail(out, 2000))
	return ""
}

// TestRestart_Rotation rotates the log while the server is down: the new
// file (another first line) is read from its start, the old one not again.
func TestRestart_Rotation(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts the server twice")
	}
	e := newEnv(t, "", 1)
	e.write("jail.local", streamJail(e.dir))
	now := time.Now()
	var old []string
	for i := range 7 {
		old = append(old, failLine(now, ipN(i), i))
	}
	e.appendLines("php-api.log", old...)
	e.start(ourServer)
	eventually(t, "7 failures", func() bool {
		out, _ := e.client("status", "php-api")
		return statusField(out, "Total failed") == "7"
	})
	e.stop()
	if err := os.Rename(e.path("php-api.log"), e.path("php-api.log.1")); err != nil {
		t.Fatal(err)
	}
	var fresh []string
	for i := range 4 {
		fresh = append(fresh, failLine(now, ipN(100+i), i))
	}
	e.appendLines("php-api.log", fresh...)
	e.start(ourServer)
	eventually(t, "4 failures of the new file", func() bool {
		out, _ := e.client("status", "php-api")
		return statusField(out, "Total failed") == "4"
	})
	e.appendLines("php-api.log", failLine(now, ipN(200), 0))
	eventually(t, "one more failure", func() bool {
		out, _ := e.client("status", "php-api")
		return statusField(out, "Total failed") == "5"
	})
	// The log is written in batches at most 50 ms apart.
	n := 0
	eventually(t, "7 + 5 Found lines", func() bool {
		n = len(foundRE.FindAllString(e.readFile("server.log"), -1))
		return n >= 12
	})
	if n != 12 {
		t.Errorf("found %d failures over both runs, want 7 + 5", n)
	}
}

// TestRestart_BanTimeIncrement bans an address for 2 s, waits for its
// unban, restarts, and bans it again: the history in the database makes
// the second ban 30 times longer (bantime.multipliers = 1 30).
func TestRestart_BanTimeIncrement(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts the server twice")
	}
	e := newEnv(t, "", 1)
	e.write("jail.local", streamJailBanTime(e.dir, "2")+"bantime.increment = true\nbantime.multipliers = 1 30\n")
	e.appendLines("php-api.log")
	e.start(ourServer)
	ip := ipN(9)
	e.appendLines("php-api.log", failLine(time.Now(), ip, 1))
	eventually(t, "ban then unban", func() bool {
		return countLines(e.readFile("bans"), "unban "+ip) == 1
	})
	e.stop()
	e.start(ourServer)
	e.appendLines("php-api.log", failLine(time.Now().Add(time.Second), ip, 2))
	eventually(t, "second ban", func() bool {
		return countLines(e.readFile("bans"), "ban "+ip) == 2
	})
	if got := withTime(t, e, ip); !strings.Contains(got, "+ 60 =") {
		t.Errorf("second ban after restart = %q, want bantime 60 (2 × 30)", got)
	}
	eventually(t, "Increase Ban logged", func() bool {
		return strings.Contains(e.readFile("server.log"), "Increase Ban "+ip)
	})
}

// missing lists the first addresses below total absent from status output.
func missing(status string, total int) string {
	banned := map[string]bool{}
	for _, f := range strings.Fields(statusField(status, "Banned IP list")) {
		banned[f] = true
	}
	var out []string
	for i := range total {
		if !banned[ipN(i)] && len(out) < 20 {
			out = append(out, ipN(i))
		}
	}
	return strings.Join(out, " ")
}
