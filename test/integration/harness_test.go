// Package integration runs the real f2b-server and f2b-client binaries
// against temporary configurations, with real peers where a user would
// meet them: the Python fail2ban-client, php-cli, SQLite files, log files.
package integration

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// env is one temporary configuration tree plus its run directory.
type env struct {
	t    testing.TB
	dir  string // run directory: socket, pidfile, db, logs
	conf string // configuration directory
	sock string
	bins string
	srv  *exec.Cmd
	// jails is how many jails the configuration enables; start waits
	// until the server reports that many.
	jails int
	out   *bytes.Buffer
}

// newEnv writes fail2ban.conf and jail.local with the given jail sections.
// The record action appends "ban <ip>" / "unban <ip>" to dir/bans.
func newEnv(t testing.TB, jails string) *env {
	t.Helper()
	// Unix socket paths are limited to 108 bytes: keep the dir short.
	dir, err := os.MkdirTemp("/tmp", "f2bit-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	e := &env{t: t, dir: dir, conf: filepath.Join(dir, "conf"), sock: filepath.Join(dir, "f2b.sock"), bins: binaries(t)}
	for _, d := range []string{"filter.d", "action.d", "jail.d"} {
		os.MkdirAll(filepath.Join(e.conf, d), 0o755)
	}
	e.write("fail2ban.conf", `[Definition]
loglevel = INFO
logtarget = `+dir+`/f2b.log
syslogsocket = auto
socket = `+e.sock+`
pidfile = `+dir+`/f2b.pid
dbfile = `+dir+`/f2b.sqlite3
dbpurgeage = 1d
dbmaxmatches = 10
`)
	e.write("jail.conf", `[DEFAULT]
bantime = 1h
findtime = 30m
maxretry = 3
backend = auto
usedns = no
banaction = record
action = %(banaction)s
`)
	e.write("action.d/record.conf", `[Definition]
actionstart = echo start >> `+dir+`/bans
actionstop = echo stop >> `+dir+`/bans
actioncheck =
actionban = echo ban <ip> >> `+dir+`/bans
actionunban = echo unban <ip> >> `+dir+`/bans
`)
	e.write("filter.d/php-api.conf", `[Definition]
failregex = ^\s*<ADDR>\s+\S+\s+Incorrect token used\.
ignoreregex =
datepattern = ^{DATE}
`)
	e.write("jail.local", jails)
	return e
}

func (e *env) write(name, text string) {
	e.t.Helper()
	if err := os.WriteFile(filepath.Join(e.conf, name), []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) path(name string) string { return filepath.Join(e.dir, name) }

// appendLines appends lines to a file in the run directory.
func (e *env) appendLines(name string, lines ...string) {
	e.t.Helper()
	f, err := os.OpenFile(e.path(name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	for _, l := range lines {
		fmt.Fprintln(f, l)
	}
}

// start runs f2b-server in the foreground and waits for its socket.
func (e *env) start() {
	e.t.Helper()
	e.out = &bytes.Buffer{}
	cmd := exec.Command(filepath.Join(e.bins, "f2b-server"), "-c", e.conf, "-xf", "start")
	cmd.Stdout, cmd.Stderr = e.out, e.out
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.srv = cmd
	e.t.Cleanup(func() { e.stop() })
	e.waitSocket()
}

func (e *env) waitSocket() {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("unix", e.sock); err == nil {
			c.Close()
			// The configuration stream is applied after the socket is
			// up (as in fail2ban): wait until every jail has started.
			if out, err := e.client("status"); err == nil && strings.Contains(out, "Number of jail:\t"+strconv.Itoa(e.jails)) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("server did not come up; output:\n%s", e.out)
}

// stop sends SIGTERM and waits for a clean exit.
func (e *env) stop() {
	if e.srv == nil {
		return
	}
	e.srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- e.srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			e.t.Errorf("f2b-server exited with %v; output:\n%s", err, e.out)
		}
	case <-time.After(30 * time.Second):
		e.srv.Process.Kill()
		e.t.Errorf("f2b-server did not stop on SIGTERM; output:\n%s", e.out)
	}
	e.srv = nil
}

// client runs our f2b-client against this env.
func (e *env) client(args ...string) (string, error) {
	return run(filepath.Join(e.bins, "f2b-client"), append([]string{"-c", e.conf}, args...)...)
}

// pyclient runs the real Python fail2ban-client against this env's socket.
func (e *env) pyclient(args ...string) (string, error) {
	return run("/usr/bin/fail2ban-client", append([]string{"-s", e.sock}, args...)...)
}

func run(bin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// readFile returns a run-directory file's content ("" if missing).
func (e *env) readFile(name string) string {
	b, _ := os.ReadFile(e.path(name))
	return string(b)
}

func isoNow() string { return time.Now().Format("2006-01-02T15:04:05") }
