package persist

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/f2b/f2b/internal/testutil"
)

// binaries builds f2b-server and f2b-client once per test run.
func binaries(t testing.TB) string {
	t.Helper()
	return testutil.Binaries(t)
}

// need skips (locally) or fails (CI) when a tool is missing.
func need(t testing.TB, paths ...string) {
	t.Helper()
	testutil.Need(t, paths...)
}

const (
	ourServer  = "f2b-server"
	realServer = "/usr/bin/fail2ban-server"
	realClient = "/usr/bin/fail2ban-client"
)

// env is one temporary configuration tree and run directory, shared by
// successive server processes (ours or fail2ban's).
type env struct {
	t    testing.TB
	dir  string
	conf string
	sock string
	bins string
	srv  *exec.Cmd
	out  *bytes.Buffer
	// jails is how many jails start must see before it returns.
	jails int
}

// newEnv writes fail2ban.conf, jail.conf, a "php-api" filter and two
// record actions: "record" appends "ban <ip>" to dir/bans, and
// "recordnr" (norestored) to dir/bans-nr. jails is the jail.local text.
func newEnv(t testing.TB, jails string, njails int) *env {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "f2bp-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			os.RemoveAll(dir)
		}
	})
	e := &env{t: t, dir: dir, conf: filepath.Join(dir, "conf"), sock: filepath.Join(dir, "f2b.sock"),
		bins: binaries(t), jails: njails}
	for _, d := range []string{"filter.d", "action.d", "jail.d"} {
		if err := os.MkdirAll(filepath.Join(e.conf, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	e.write("fail2ban.conf", "[Definition]\nloglevel = INFO\nlogtarget = "+dir+"/server.log\n"+
		"syslogsocket = auto\nsocket = "+e.sock+"\npidfile = "+dir+"/f2b.pid\n"+
		"dbfile = "+dir+"/f2b.sqlite3\ndbpurgeage = 1d\ndbmaxmatches = 10\n")
	e.write("jail.conf", "[DEFAULT]\nbantime = 1h\nfindtime = 30m\nmaxretry = 3\nbackend = auto\n"+
		"usedns = no\nbanaction = record\naction = %(banaction)s\n")
	e.write("action.d/record.conf", recordAction(dir+"/bans", false))
	e.write("action.d/recordnr.conf", recordAction(dir+"/bans-nr", true))
	e.write("filter.d/php-api.conf", "[Definition]\nfailregex = ^\\s*<ADDR>\\s+\\S+\\s+Incorrect token used\\.\n"+
		"ignoreregex =\ndatepattern = ^{DATE}\n")
	e.write("jail.local", jails)
	return e
}

func recordAction(file string, norestored bool) string {
	s := "[Definition]\nactionstart = echo start >> " + file + "\nactionstop = echo stop >> " + file +
		"\nactioncheck =\nactionban = echo ban <ip> >> " + file + "\nactionunban = echo unban <ip> >> " + file + "\n"
	if norestored {
		s += "norestored = 1\n"
	}
	return s
}

func (e *env) write(name, text string) {
	e.t.Helper()
	if err := os.WriteFile(filepath.Join(e.conf, name), []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) path(name string) string { return filepath.Join(e.dir, name) }

func (e *env) readFile(name string) string {
	b, _ := os.ReadFile(e.path(name))
	return string(b)
}

// appendLines appends lines to a file in the run directory.
func (e *env) appendLines(name string, lines ...string) {
	e.t.Helper()
	if err := appendFile(e.path(name), lines...); err != nil {
		e.t.Fatal(err)
	}
}

func appendFile(path string, lines ...string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	_, err = f.Write(b.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// start runs bin (ourServer or realServer) in the foreground and waits
// until every jail is up.
func (e *env) start(bin string) {
	e.t.Helper()
	if bin == ourServer {
		bin = filepath.Join(e.bins, ourServer)
	}
	e.out = &bytes.Buffer{}
	cmd := exec.Command(bin, "-c", e.conf, "-xf", "start")
	cmd.Stdout, cmd.Stderr = e.out, e.out
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.srv = cmd
	e.t.Cleanup(e.stop)
	e.waitUp()
}

func (e *env) waitUp() {
	e.t.Helper()
	want := fmt.Sprintf("Number of jail:\t%d", e.jails)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("unix", e.sock); err == nil {
			c.Close()
			if out, err := e.client("status"); err == nil && strings.Contains(out, want) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("server did not come up; output:\n%s\nlog:\n%s", e.out, tail(e.readFile("server.log"), 3000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// stop sends SIGTERM and waits for a clean exit.
func (e *env) stop() {
	if e.srv == nil {
		return
	}
	srv := e.srv
	e.srv = nil
	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			e.t.Errorf("server exited with %v; output:\n%s", err, e.out)
		}
	case <-time.After(60 * time.Second):
		srv.Process.Kill()
		<-done
		e.t.Errorf("server did not stop on SIGTERM; output:\n%s", e.out)
	}
}

// kill ends the server with SIGKILL (a crash).
func (e *env) kill() {
	if e.srv == nil {
		return
	}
	srv := e.srv
	e.srv = nil
	srv.Process.Kill()
	srv.Wait()
}

// client runs our f2b-client against this env; it speaks to either server.
func (e *env) client(args ...string) (string, error) {
	return run(filepath.Join(e.bins, "f2b-client"), append([]string{"-c", e.conf}, args...)...)
}

// pyclient runs the real Python fail2ban-client against this env's socket.
func (e *env) pyclient(args ...string) (string, error) {
	return run(realClient, append([]string{"-s", e.sock}, args...)...)
}

func run(bin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// eventually polls cond until it holds or 30 s pass (the machine is shared).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// eventuallyOr is eventually with a description of the last state.
func eventuallyOr(t testing.TB, what string, cond func() bool, state func() string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last state:\n%s", what, state())
}

// countLines counts the lines of s equal to line.
func countLines(s, line string) int {
	n := 0
	for l := range strings.SplitSeq(s, "\n") {
		if l == line {
			n++
		}
	}
	return n
}

// banLines counts the "ban <ip>" lines of a record action's file.
func banLines(s string) int { return strings.Count("\n"+s, "\nban ") }

// statusField returns a "|- Field:\tvalue" value of status output.
func statusField(out, field string) string {
	for l := range strings.SplitSeq(out, "\n") {
		if _, v, ok := strings.Cut(l, field+":\t"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func isoAt(t time.Time) string { return t.Format("2006-01-02T15:04:05") }

// failLine is one php-api failure of ip at time at.
func failLine(at time.Time, ip string, n int) string {
	return fmt.Sprintf("%s %s - Incorrect token used. (%d)", isoAt(at), ip, n)
}

// ipN is the n-th test address (n < 2^16), in 10.77.0.0/16.
func ipN(n int) string { return fmt.Sprintf("10.77.%d.%d", n>>8&255, n&255) }
