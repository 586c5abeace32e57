package socket

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/f2b/f2b/internal/testutil"

	"github.com/f2b/f2b/internal/loadgen"
	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

const jailName = "stress"

// binaries builds f2b-server and f2b-client once per test run, into a
// directory every user may read, so that tests can run the client as
// nobody.
func binaries(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs f2b-server; skipped with -short")
	}
	return testutil.Binaries(t)
}

// env is a temporary configuration with one jail, "stress", whose filter
// never matches (failures come only from `attempt`) and whose maxretry is
// high enough that nothing is banned.
type env struct {
	t    testing.TB
	dir  string
	conf string
	sock string
	bins string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	bins := binaries(t)
	// Unix socket paths are limited to 108 bytes: keep the dir short.
	dir, err := os.MkdirTemp("/tmp", "f2bsk-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	e := &env{t: t, dir: dir, conf: filepath.Join(dir, "conf"), sock: filepath.Join(dir, "run", "f2b.sock"), bins: bins}
	for _, d := range []string{"filter.d", "action.d", "jail.d"} {
		if err := os.MkdirAll(filepath.Join(e.conf, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	e.write("fail2ban.conf", "[Definition]\nloglevel = INFO\nlogtarget = "+dir+"/f2b.log\n"+
		"socket = "+e.sock+"\npidfile = "+dir+"/f2b.pid\ndbfile = "+dir+"/f2b.sqlite3\n")
	e.write("jail.conf", `[DEFAULT]
bantime = 1h
findtime = 1d
maxretry = 1000000
backend = polling
usedns = no
action = record

[`+jailName+`]
enabled = true
filter = stress
logpath = `+dir+`/stress.log
`)
	e.write("action.d/record.conf", "[Definition]\nactionban = echo ban <ip> >> "+dir+"/bans\nactionunban = echo unban <ip> >> "+dir+"/bans\n")
	e.write("filter.d/stress.conf", "[Definition]\nfailregex = ^never-matches <HOST>$\n")
	if err := os.WriteFile(filepath.Join(dir, "stress.log"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) write(name, text string) {
	e.t.Helper()
	if err := os.WriteFile(filepath.Join(e.conf, name), []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// proc is one f2b-server process.
type proc struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error // exit status, valid after done
}

// syncBuffer collects a child's output; the child writes while tests read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// spawn runs f2b-server in the foreground with extra flags before "start".
func (e *env) spawn(flags ...string) *proc {
	e.t.Helper()
	args := append([]string{"-c", e.conf}, flags...)
	args = append(args, "-f", "start")
	p := &proc{cmd: exec.Command(filepath.Join(e.bins, "f2b-server"), args...), out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	e.t.Cleanup(func() { p.stop(e.t) })
	return p
}

// start runs f2b-server -x and waits until the jail answers.
func (e *env) start() *proc {
	e.t.Helper()
	p := e.spawn("-x")
	ctx, cancel := context.WithTimeout(e.t.Context(), 20*time.Second)
	defer cancel()
	if err := loadgen.Wait(ctx, e.sock, []any{"status", jailName}); err != nil {
		e.t.Fatalf("f2b-server did not come up: %v; output:\n%s", err, p.out)
	}
	return p
}

// exited waits up to d for the process to exit and reports whether it did.
func (p *proc) exited(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop(t testing.TB) {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if !p.exited(30 * time.Second) {
		p.cmd.Process.Kill()
		<-p.done
		t.Errorf("f2b-server did not stop on SIGTERM; output:\n%s", p.out)
	}
}

// rssKiB is the process's resident set size (VmRSS) in KiB.
func (p *proc) rssKiB(t testing.TB) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatalf("VmRSS %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatal("no VmRSS in /proc/pid/status")
	return 0
}

// rawConn is a client connection speaking raw bytes, for tests that must
// send what no real client would.
type rawConn struct {
	t testing.TB
	c net.Conn
	r *protocol.Reader
}

func (e *env) dial() *rawConn {
	e.t.Helper()
	c, err := net.Dial("unix", e.sock)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	// A generous bound so a hung server fails the test instead of hanging it.
	c.SetDeadline(time.Now().Add(60 * time.Second))
	return &rawConn{t: e.t, c: c, r: protocol.NewReader(c, protocol.ReaderOptions{})}
}

// send writes raw bytes.
func (rc *rawConn) send(b []byte) {
	rc.t.Helper()
	if _, err := rc.c.Write(b); err != nil {
		rc.t.Fatalf("write: %v", err)
	}
}

// reply reads and decodes the next reply. A reply that would be huge once
// its shared references are expanded is an error, so that no test walks it.
func (rc *rawConn) reply() (any, error) {
	raw, err := rc.r.Next()
	if err != nil {
		return nil, err
	}
	v, err := protocol.DecodeReply(raw)
	if err != nil {
		return nil, err
	}
	if budget := 64 << 20; expandsPast(v, &budget) {
		return nil, errHugeReply
	}
	return v, nil
}

var errHugeReply = errors.New("reply expands to more than 64 MiB (shared references)")

// expandsPast reports whether v, walked as a tree, costs more than
// *budget (8 per item plus string lengths), spending from it.
func expandsPast(v any, budget *int) bool {
	*budget -= 8
	var items []any
	switch x := v.(type) {
	case string:
		*budget -= len(x)
	case pyval.Bytes:
		*budget -= len(x)
	case []any:
		items = x
	case pyval.Tuple:
		items = x
	case pyval.Set:
		items = x
	case pyval.FrozenSet:
		items = x
	case pyval.Dict:
		for _, it := range x {
			items = append(items, it.Key, it.Value)
		}
	case *pyval.Exception:
		items = x.Args
	}
	for _, it := range items {
		if *budget < 0 || expandsPast(it, budget) {
			return true
		}
	}
	return *budget < 0
}

// request pickles cmd, sends it and returns the decoded reply.
func (rc *rawConn) request(cmd ...any) any {
	rc.t.Helper()
	rc.send(frame(rc.t, cmd))
	v, err := rc.reply()
	if err != nil {
		rc.t.Fatalf("reply to %s: %v", pyval.Repr(cmd), err)
	}
	return v
}

// frame pickles v and appends the END marker.
func frame(t testing.TB, v any) []byte {
	t.Helper()
	b, err := protocol.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, protocol.End...)
}

// ok is the repr of the reply (0, v).
func ok(v any) string { return pyval.Repr(pyval.Tuple{int64(0), v}) }

// wantPing checks that ping answers on rc.
func (rc *rawConn) wantPing() {
	rc.t.Helper()
	if got := pyval.Repr(rc.request("ping")); got != ok("pong") {
		rc.t.Fatalf("ping: got %s, want %s", got, ok("pong"))
	}
}

// jailStatus returns `status <jail>` as a map of its counters.
func (e *env) jailStatus() map[string]any {
	e.t.Helper()
	rc := e.dial()
	defer rc.c.Close()
	v := rc.request("status", jailName)
	t, isTuple := v.(pyval.Tuple)
	if !isTuple || len(t) != 2 || t[0] != int64(0) {
		e.t.Fatalf("status: %s", pyval.Repr(v))
	}
	out := map[string]any{}
	collectPairs(t[1], out)
	return out
}

// collectPairs flattens fail2ban's nested [(name, value|[...])] status.
func collectPairs(v any, out map[string]any) {
	items, isList := v.([]any)
	if !isList {
		return
	}
	for _, it := range items {
		p, isPair := it.(pyval.Tuple)
		if !isPair || len(p) != 2 {
			continue
		}
		name, _ := p[0].(string)
		if _, nested := p[1].([]any); nested && name != "Banned IP list" && name != "File list" {
			collectPairs(p[1], out)
			continue
		}
		out[name] = p[1]
	}
}

// need skips (locally) or fails (CI) when a precondition is missing.
func need(t testing.TB, okay bool, reason string) {
	t.Helper()
	if okay {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("required in CI: %s", reason)
	}
	t.Skip(reason)
}

func newReader(c net.Conn) *protocol.Reader { return protocol.NewReader(c, protocol.ReaderOptions{}) }

// encodeFrame is frame for goroutines: it returns the error.
func encodeFrame(v any) ([]byte, error) {
	b, err := protocol.Encode(v)
	return append(b, protocol.End...), err
}
