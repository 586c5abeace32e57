package socket

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/pyval"
)

// TestSocket_StopWithHostileClients: SIGTERM ends the server even while
// one client stalls mid-message and another never reads its replies (the
// server is blocked writing to it), and the socket file is removed.
func TestSocket_StopWithHostileClients(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	half := e.dial()
	m := frame(t, []any{"ping"})
	half.send(m[:len(m)/2])
	flooder := e.dial()
	blocked := make(chan struct{})
	go flood(flooder, frame(t, []any{"echo", strings.Repeat("x", 1000)}), blocked)
	select {
	case <-blocked:
	case <-time.After(30 * time.Second):
		t.Fatal("flooding client never blocked")
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if !p.exited(20 * time.Second) {
		t.Fatalf("f2b-server still running 20 s after SIGTERM with hostile clients; output:\n%s", p.out)
	}
	if p.err != nil {
		t.Errorf("exit status %v; output:\n%s", p.err, p.out)
	}
	if _, err := os.Lstat(e.sock); err == nil {
		t.Error("socket file left behind")
	}
}

// TestSocket_StopCommandReplies: `stop` is answered (0, None) on its own
// connection after the shutdown work, even with a non-reading client
// around, and the server then exits.
func TestSocket_StopCommandReplies(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	flooder := e.dial()
	blocked := make(chan struct{})
	go flood(flooder, frame(t, []any{"echo", strings.Repeat("x", 1000)}), blocked)
	<-blocked
	rc := e.dial()
	if got := rc.request("stop"); pyval.Repr(got) != ok(nil) {
		t.Fatalf("stop: got %s, want %s", pyval.Repr(got), ok(nil))
	}
	if !p.exited(20 * time.Second) {
		t.Fatalf("f2b-server still running 20 s after `stop`; output:\n%s", p.out)
	}
	if p.err != nil {
		t.Errorf("exit status %v after stop", p.err)
	}
}
