package socket

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/pyval"
)

func TestSocket_PathFromConfigAndMode(t *testing.T) {
	e := newEnv(t)
	e.start()
	fi, err := os.Lstat(e.sock)
	if err != nil {
		t.Fatalf("socket from fail2ban.conf not created: %v", err)
	}
	if fi.Mode().Type() != os.ModeSocket {
		t.Fatalf("%s: mode %v, want a socket", e.sock, fi.Mode())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("socket mode %#o: group or others have access", perm)
	}
	di, err := os.Stat(filepath.Dir(e.sock))
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("created socket directory mode %#o, want 0700", perm)
	}
	e.dial().wantPing()
}

// TestSocket_NobodyCannotConnect runs f2b-client as nobody: with the
// default permissions the socket refuses it; making the socket
// world-writable (a control) lets it in, proving the mode is the reason.
func TestSocket_NobodyCannotConnect(t *testing.T) {
	need(t, os.Geteuid() == 0, "needs root to start the server as root and a client as nobody")
	e := newEnv(t)
	e.start()
	// Let nobody reach the socket file, so only its own mode decides.
	for _, d := range []string{e.dir, filepath.Dir(e.sock)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, err := e.clientAsNobody(t, "ping")
	if err == nil {
		t.Fatalf("nobody reached the server through a 0600 socket:\n%s", out)
	}
	if !strings.Contains(out, "Permission denied") {
		t.Errorf("nobody's client output %q does not mention the permission error", out)
	}
	if err := os.Chmod(e.sock, 0o666); err != nil {
		t.Fatal(err)
	}
	if out, err := e.clientAsNobody(t, "ping"); err != nil || !strings.Contains(out, "pong") {
		t.Fatalf("control: nobody on a 0666 socket: %v\n%s", err, out)
	}
}

func (e *env) clientAsNobody(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(filepath.Join(e.bins, "f2b-client"), append([]string{"-s", e.sock}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	cmd.Dir = "/"
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// staleSocket leaves a socket file that nothing listens on.
func staleSocket(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := net.Dial("unix", path); err == nil {
		t.Fatal("stale socket still accepts connections")
	}
}

func TestSocket_StaleWithoutForceRefused(t *testing.T) {
	e := newEnv(t)
	staleSocket(t, e.sock)
	p := e.spawn()
	if !p.exited(20 * time.Second) {
		t.Fatalf("server started over a stale socket without -x; output:\n%s", p.out)
	}
	var exit *exec.ExitError
	if !errors.As(p.err, &exit) || exit.ExitCode() == 0 {
		t.Errorf("exit status %v, want a failure", p.err)
	}
	if _, err := os.Lstat(e.sock); err != nil {
		t.Errorf("refusing server removed the socket file: %v", err)
	}
}

func TestSocket_StaleRemovedWithForce(t *testing.T) {
	e := newEnv(t)
	staleSocket(t, e.sock)
	p := e.start()
	e.dial().wantPing()
	p.stop(t)
	if _, err := os.Lstat(e.sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket left behind after a clean stop: %v", err)
	}
}

// TestSocket_LiveServerNotDisplaced starts a second server with -x on a
// live server's socket: it must give up, and the first keeps serving on
// the same socket file.
func TestSocket_LiveServerNotDisplaced(t *testing.T) {
	e := newEnv(t)
	e.start()
	before, err := os.Lstat(e.sock)
	if err != nil {
		t.Fatal(err)
	}
	rc := e.dial() // a keep-alive connection across the attempt
	rc.wantPing()
	second := e.spawn("-x")
	if !second.exited(20 * time.Second) {
		t.Fatalf("second server did not give up; output:\n%s", second.out)
	}
	if second.err == nil {
		t.Errorf("second server exited 0 on a live socket; output:\n%s", second.out)
	}
	after, err := os.Lstat(e.sock)
	if err != nil {
		t.Fatalf("socket file gone: %v", err)
	}
	if !os.SameFile(before, after) {
		t.Error("socket file was replaced")
	}
	rc.wantPing()
	e.dial().wantPing()
}

func TestSocket_ManyConcurrentClients(t *testing.T) {
	e := newEnv(t)
	e.start()
	// Idle keep-alive connections must not tie up the server.
	for range 200 {
		e.dial()
	}
	const clients = 64
	errs := make(chan error, clients)
	for i := range clients {
		go func() {
			c, err := net.Dial("unix", e.sock)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			rc := &rawConn{t: t, c: c}
			rc.c.SetDeadline(time.Now().Add(60 * time.Second))
			errs <- exchangeEcho(rc, i)
		}()
	}
	for range clients {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// exchangeEcho sends echo with a client-specific payload five times and
// checks each reply; it reports instead of failing so goroutines may use it.
func exchangeEcho(rc *rawConn, i int) error {
	rc.r = newReader(rc.c)
	for k := range 5 {
		msg, err := encodeFrame([]any{"echo", i, k})
		if err != nil {
			return err
		}
		if _, err := rc.c.Write(msg); err != nil {
			return err
		}
		v, err := rc.reply()
		if err != nil {
			return err
		}
		if got, want := pyval.Repr(v), ok([]any{int64(i), int64(k)}); got != want {
			return errors.New("client got " + got + ", want " + want)
		}
	}
	return nil
}

func TestSocket_PipelinedRepliesInOrder(t *testing.T) {
	e := newEnv(t)
	e.start()
	rc := e.dial()
	var batch []byte
	const n = 200
	for i := range n {
		if i%3 == 0 {
			batch = append(batch, frame(t, []any{"nosuchcommand", i})...)
			continue
		}
		batch = append(batch, frame(t, []any{"echo", i})...)
	}
	rc.send(batch) // one write: every request is pipelined
	for i := range n {
		v, err := rc.reply()
		if err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
		want := ok([]any{int64(i)})
		if i%3 == 0 {
			want = pyval.Repr(pyval.Tuple{int64(1), pyval.NewException("Exception", "Invalid command")})
		}
		if got := pyval.Repr(v); got != want {
			t.Fatalf("reply %d: got %s, want %s", i, got, want)
		}
	}
	rc.wantPing()
}

// TestSocket_HostileClientsDoNotBlockOthers keeps three bad peers busy at
// once: one sent half a pickle and stalls, one floods requests and never
// reads a reply, one connected and says nothing. Others must be served.
func TestSocket_HostileClientsDoNotBlockOthers(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	half := e.dial()
	full := frame(t, []any{"set", jailName, "attempt", "192.0.2.1", "half"})
	half.send(full[:len(full)/2])
	silent := e.dial()
	flooder := e.dial()
	blocked := make(chan struct{})
	go flood(flooder, frame(t, []any{"echo", strings.Repeat("x", 1000)}), blocked)
	// Wait until the server has stopped reading the flooder (its replies
	// are not being read), then check that everyone else is served.
	select {
	case <-blocked:
	case <-time.After(30 * time.Second):
		t.Fatal("flooding client never blocked")
	}
	for range 20 {
		rc := e.dial()
		rc.wantPing()
		rc.c.Close()
	}
	silent.wantPing()
	// The stalled request completes when its other half arrives.
	half.send(full[len(full)/2:])
	if v, err := half.reply(); err != nil || pyval.Repr(v) != ok(int64(1)) {
		t.Fatalf("completed half request: %v %v", pyval.Repr(v), err)
	}
	if rss := p.rssKiB(t); rss > 256<<10 {
		t.Errorf("server RSS %d KiB with a non-reading client", rss)
	}
}

// flood writes the same request until a write makes no progress for a
// while, which means the server stopped reading because its replies are
// not being read; it signals blocked, then waits for the test to close it.
func flood(rc *rawConn, msg []byte, blocked chan<- struct{}) {
	batch := bytes.Repeat(msg, 64)
	for {
		rc.c.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
		if _, err := rc.c.Write(batch); err != nil {
			close(blocked)
			return
		}
	}
}
