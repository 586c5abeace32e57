package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
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

// stockConf is Debian's configuration tree, copied for every test.
const stockConf = "/etc/fail2ban"

// binaries builds f2b-server and f2b-client once per test run.
func binaries(t testing.TB) string {
	t.Helper()
	return testutil.Binaries(t)
}

// skipOrFail skips locally and fails under CI=true, where every
// prerequisite is installed on purpose.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	testutil.SkipOrFail(t, format, args...)
}

// requireStock skips unless the stock fail2ban configuration is present.
func requireStock(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	if _, err := os.Stat(filepath.Join(stockConf, "jail.conf")); err != nil {
		skipOrFail(t, "needs the stock fail2ban configuration in %s (apt-get install fail2ban): %v", stockConf, err)
	}
}

// env is one server instance: a copied configuration tree and a run
// directory holding the socket, pidfile, database, logs and records.
type env struct {
	t      testing.TB
	dir    string
	conf   string
	sock   string
	bins   string
	prefix []string // argv run in front of f2b-server (ip netns exec …)
	jails  int
	srv    *exec.Cmd
	out    *bytes.Buffer
}

// newEnv copies the stock tree (without jail.d and fail2ban.d, whose
// Debian defaults enable sshd on /var/log) and points fail2ban.local at
// the run directory. jailLocal becomes jail.local and enables jails.
func newEnv(t testing.TB, jails int, jailLocal string) *env {
	t.Helper()
	requireStock(t)
	// Unix socket paths are limited to 108 bytes: keep the dir short.
	dir, err := os.MkdirTemp("/tmp", "f2be2e-")
	if err != nil {
		t.Fatal(err)
	}
	// A failed test keeps its run directory (config, logs, records).
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("kept %s for inspection", dir)
			return
		}
		os.RemoveAll(dir)
	})
	e := &env{t: t, dir: dir, conf: filepath.Join(dir, "conf"), sock: filepath.Join(dir, "f2b.sock"),
		bins: binaries(t), jails: jails}
	if err := copyTree(stockConf, e.conf); err != nil {
		t.Fatal(err)
	}
	e.writeConf("fail2ban.local", fmt.Sprintf(`[Definition]
loglevel = INFO
logtarget = %[1]s/f2b.log
socket = %[2]s
pidfile = %[1]s/f2b.pid
dbfile = %[1]s/f2b.sqlite3
`, dir, e.sock))
	e.writeConf("action.d/e2e-record.conf", `[Definition]
actionban = echo ban <name> <ip> >> `+dir+`/record
actionunban = echo unban <name> <ip> >> `+dir+`/record
[Init]
name = default
`)
	e.writeConf("jail.local", strings.ReplaceAll(jailLocal, "@DIR@", dir))
	// The client side of the configuration needs every logpath to exist.
	for _, f := range []string{"auth.log", "f2b.log"} {
		e.appendLines(f)
	}
	return e
}

// copyTree copies the stock files, leaving jail.d and fail2ban.d empty.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if dir := filepath.Dir(rel); dir == "jail.d" || dir == "fail2ban.d" || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

func (e *env) writeConf(name, text string) {
	e.t.Helper()
	if err := os.WriteFile(filepath.Join(e.conf, name), []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) path(name string) string { return filepath.Join(e.dir, name) }

// appendLines appends lines to a file in the run directory in one write,
// as a logging daemon would.
func (e *env) appendLines(name string, lines ...string) {
	e.t.Helper()
	f, err := os.OpenFile(e.path(name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	if _, err := f.WriteString(b.String()); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) readFile(name string) string {
	b, _ := os.ReadFile(e.path(name))
	return string(b)
}

// start runs f2b-server in the foreground (inside e.prefix) and waits
// until every jail is up.
func (e *env) start() {
	e.t.Helper()
	e.out = &bytes.Buffer{}
	argv := append(append([]string{}, e.prefix...), filepath.Join(e.bins, "f2b-server"), "-c", e.conf, "-xf", "start")
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = e.out, e.out
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.srv = cmd
	e.t.Cleanup(e.stop)
	want := fmt.Sprintf("Number of jail:\t%d", e.jails)
	e.eventually(20*time.Second, "the server and its jails", func() bool {
		out, err := e.client("status")
		return err == nil && strings.Contains(out, want)
	})
}

// stop sends SIGTERM and waits for a clean exit (actionstop has run then).
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
			e.t.Errorf("f2b-server exited with %v; output:\n%s\nlog:\n%s", err, e.out, e.readFile("f2b.log"))
		}
	case <-time.After(30 * time.Second):
		e.srv.Process.Kill()
		<-done
		e.t.Errorf("f2b-server did not stop on SIGTERM; output:\n%s", e.out)
	}
	e.srv = nil
}

// client runs f2b-client on the host: the unix socket is a file, so it
// reaches a server inside any network namespace.
func (e *env) client(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, filepath.Join(e.bins, "f2b-client"), append([]string{"-s", e.sock}, args...)...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// eventually polls cond (an external process's state) until it holds.
func (e *env) eventually(limit time.Duration, what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out after %v waiting for %s\nserver output:\n%s\nlog:\n%s", limit, what, e.out, e.readFile("f2b.log"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sshdFailure is an auth.log line the stock sshd filter counts as a failure.
func sshdFailure(ip string, n int) string {
	return fmt.Sprintf("%s e2e sshd[%d]: Failed password for root from %s port %d ssh2",
		time.Now().Format(time.Stamp), 4000+n, ip, 40000+n)
}

// dialOK reports whether a TCP connect to addr succeeds within a second.
func dialOK(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// countLines counts the lines of a run-directory file equal to line.
func (e *env) countLines(name, line string) int {
	n := 0
	for _, l := range strings.Split(e.readFile(name), "\n") {
		if l == line {
			n++
		}
	}
	return n
}
