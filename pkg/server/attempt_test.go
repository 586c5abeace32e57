package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// serveTest serves s on a fresh unix socket until the test ends and
// returns the socket path.
func serveTest(t *testing.T, s *Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f2b.sock")
	ln, err := Listen(path, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return path
}

// testClient speaks the protocol on one connection; every read and write
// has a deadline, so that a server that hangs fails the test instead.
type testClient struct {
	t   *testing.T
	c   net.Conn
	r   *protocol.Reader
	enc *protocol.Encoder
}

func dialTest(t *testing.T, path string) *testClient {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &testClient{t: t, c: c, r: protocol.NewReader(c, protocol.ReaderOptions{}), enc: protocol.NewEncoder(protocol.EncodeOptions{})}
}

// send writes cmds in one write (pipelined when more than one).
func (tc *testClient) send(cmds ...[]any) {
	tc.t.Helper()
	var out []byte
	for _, cmd := range cmds {
		var err error
		if out, err = tc.enc.Append(out, cmd); err != nil {
			tc.t.Fatal(err)
		}
		out = append(out, protocol.End...)
	}
	tc.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := tc.c.Write(out); err != nil {
		tc.t.Fatal(err)
	}
}

// recv reads one reply and returns its value; an exception fails the test.
func (tc *testClient) recv() any {
	tc.t.Helper()
	tc.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	msg, err := tc.r.Next()
	if err != nil {
		tc.t.Fatal(err)
	}
	v, err := protocol.DecodeReply(msg)
	if err != nil {
		tc.t.Fatal(err)
	}
	rep, ok := v.(pyval.Tuple)
	if !ok || len(rep) != 2 || rep[0] != int64(0) {
		tc.t.Fatalf("reply %s", pyval.Repr(v))
	}
	return rep[1]
}

func (tc *testClient) call(cmd ...any) any {
	tc.t.Helper()
	tc.send(cmd)
	return tc.recv()
}

// totalFailed is "Total failed" from a `status <jail> stats` reply.
func totalFailed(t *testing.T, v any) int64 {
	t.Helper()
	l, ok := v.([]any)
	if !ok || len(l) != 3 {
		t.Fatalf("status stats %s", pyval.Repr(v))
	}
	f, ok := l[1].(pyval.Tuple)
	if !ok || len(f) != 2 {
		t.Fatalf("status stats %s", pyval.Repr(v))
	}
	n, _ := f[1].(int64)
	return n
}

// setHook installs testHookAttemptReplied for the test.
func setHook(t *testing.T, f func()) {
	testHookAttemptReplied = f
	t.Cleanup(func() { testHookAttemptReplied = nil })
}

// TestAttempt_Barrier: once a client has an attempt's reply, a status
// from another connection always counts the attempt, even when the
// bookkeeping after the reply is slow.
func TestAttempt_Barrier(t *testing.T) {
	for _, delay := range []time.Duration{0, 200 * time.Microsecond} {
		t.Run(fmt.Sprint("bookkeeping delayed ", delay), func(t *testing.T) {
			s, _ := newTestServer(t)
			if delay > 0 {
				setHook(t, func() { time.Sleep(delay) })
			}
			path := serveTest(t, s)
			a, b := dialTest(t, path), dialTest(t, path)
			for i := 1; i <= 300; i++ {
				// distinct addresses: maxretry 3 never bans, so
				// "Total failed" is the number of attempts
				ip := fmt.Sprintf("10.1.%d.%d", i/256, i%256)
				if got := a.call("set", "web", "attempt", ip); got != int64(1) {
					t.Fatalf("attempt %d = %s", i, pyval.Repr(got))
				}
				if n := totalFailed(t, b.call("status", "web", "stats")); n != int64(i) {
					t.Fatalf("status after attempt %d: Total failed %d", i, n)
				}
			}
		})
	}
}

// TestAttempt_OrderOnOneConnection: commands pipelined on one connection
// run in order, each after the bookkeeping of the attempts before it.
func TestAttempt_OrderOnOneConnection(t *testing.T) {
	s, _ := newTestServer(t)
	setHook(t, func() { time.Sleep(100 * time.Microsecond) })
	c := dialTest(t, serveTest(t, s))
	var cmds [][]any
	for i := range 50 {
		cmds = append(cmds,
			[]any{"set", "web", "attempt", fmt.Sprintf("10.2.0.%d", i), "m1", "m2"},
			[]any{"status", "web", "stats"})
	}
	c.send(cmds...)
	for i := 1; i <= 50; i++ {
		if got := c.recv(); got != int64(1) {
			t.Fatalf("attempt %d = %s", i, pyval.Repr(got))
		}
		if n := totalFailed(t, c.recv()); n != int64(i) {
			t.Fatalf("status after attempt %d: Total failed %d, want %d", i, n, i)
		}
	}
}

// TestAttempt_BanOnMaxRetry: the maxretry-th attempt bans, and the next
// command on any connection already counts the failures.
func TestAttempt_BanOnMaxRetry(t *testing.T) {
	s, rec := newTestServer(t)
	path := serveTest(t, s)
	a, b := dialTest(t, path), dialTest(t, path)
	for i := range 3 {
		if got := a.call("set", "web", "attempt", "192.0.2.50"); got != int64(1) {
			t.Fatalf("attempt %d = %s", i, pyval.Repr(got))
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if got := pyval.Repr(plain(b.call("banned", "192.0.2.50"))); got == "[['web']]" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("192.0.2.50 not banned after maxretry attempts")
		}
		time.Sleep(time.Millisecond)
	}
	for !slices.Contains(rec.Scripts(), "ban 192.0.2.50") {
		if time.Now().After(deadline) {
			t.Fatalf("actionban did not run: %q", rec.Scripts())
		}
		time.Sleep(time.Millisecond)
	}
}

// TestAttempt_Ignored: an ignored id answers 0 and counts nothing.
func TestAttempt_Ignored(t *testing.T) {
	s, _ := newTestServer(t)
	c := dialTest(t, serveTest(t, s))
	c.call("set", "web", "addignoreip", "10.9.0.0/16")
	if got := c.call("set", "web", "attempt", "10.9.1.1"); got != int64(0) {
		t.Fatalf("ignored attempt = %s, want 0", pyval.Repr(got))
	}
	if n := totalFailed(t, c.call("status", "web", "stats")); n != 0 {
		t.Fatalf("Total failed %d after an ignored attempt", n)
	}
}

// TestAttempt_ManyConnections: concurrent attempts from many connections
// add up exactly, and a status after all replies sees every one.
func TestAttempt_ManyConnections(t *testing.T) {
	s, _ := newTestServer(t)
	path := serveTest(t, s)
	const clients, each = 20, 100
	var wg sync.WaitGroup
	for k := range clients {
		c := dialTest(t, path)
		wg.Go(func() {
			for i := range each {
				c.send([]any{"set", "web", "attempt", fmt.Sprintf("10.3.%d.%d", k, i)})
				if got := c.recv(); got != int64(1) {
					t.Errorf("attempt = %s", pyval.Repr(got))
					return
				}
			}
		})
	}
	wg.Wait()
	if n := totalFailed(t, dialTest(t, path).call("status", "web", "stats")); n != clients*each {
		t.Fatalf("Total failed %d, want %d", n, clients*each)
	}
}

// TestAttempt_NonReadingClient: a client that sends attempts but never
// reads its replies fills its socket buffer and blocks its own reply
// writes, but never the gate: another connection's commands still run.
func TestAttempt_NonReadingClient(t *testing.T) {
	s, _ := newTestServer(t)
	path := serveTest(t, s)
	hostile, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	enc := protocol.NewEncoder(protocol.EncodeOptions{})
	var burst []byte
	const n = 20000 // replies far beyond a socket buffer
	for i := range n {
		burst, _ = enc.Append(burst, []any{"set", "web", "attempt", fmt.Sprintf("10.4.%d.%d", i/256, i%256)})
		burst = append(burst, protocol.End...)
	}
	wrote := make(chan error, 1)
	go func() { // blocks once the server stops reading
		_, err := hostile.Write(burst)
		wrote <- err
	}()
	b := dialTest(t, path)
	// Wait until the server is stuck on the hostile connection's replies:
	// its count stops growing short of n.
	last, still := int64(-1), 0
	for still < 20 {
		got := totalFailed(t, b.call("status", "web", "stats"))
		if got == n {
			t.Fatal("every reply fitted in the socket buffers; the test needs more")
		}
		if got == last {
			still++
		} else {
			last, still = got, 0
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The server goroutine of the hostile connection is blocked writing;
	// other connections' commands, which wait for the gate, go through.
	for range 10 {
		b.call("set", "web", "attempt", "10.5.0.1")
		b.call("get", "web", "maxretry")
	}
	if got := totalFailed(t, b.call("status", "web", "stats")); got != last+10 {
		t.Fatalf("Total failed %d, want %d", got, last+10)
	}
	hostile.Close()
	if err := <-wrote; err == nil {
		t.Log("the whole burst was written before the close")
	} else if !errors.Is(err, net.ErrClosed) {
		t.Logf("burst write: %v", err)
	}
}

// TestAttempt_SameReplies: whatever the request, the reply-first path
// answers with the same bytes as the general dispatcher (well-formed
// attempts, and everything it leaves to the dispatcher).
func TestAttempt_SameReplies(t *testing.T) {
	fast, _ := newTestServer(t)
	slow, _ := newTestServer(t)
	reqs := []any{
		[]any{"set", "web", "attempt", "192.0.2.1"},
		[]any{"set", "web", "attempt", "192.0.2.2", "msg", "another"},
		[]any{"set", "web", "attempt", "user@example.org", pyval.Bytes("b"), int64(3)},
		[]any{"set", "web", "attempt", int64(7)},
		[]any{"set", "web", "attempt", "::ffff:192.0.2.3"},
		[]any{"set", "web", "attempt", "192.0.2.0/24"},
		[]any{"set", "web", "attempt", "127.0.0.1"},
		[]any{"set", "web", "attempt"},
		[]any{"set", "nojail", "attempt", "192.0.2.1"},
		[]any{"set", int64(1), "attempt", "192.0.2.1"},
		[]any{"set", "loglevel", "attempt", "192.0.2.1"},
		[]any{"multi-set", "web", "attempt", "192.0.2.4"},
		[]any{"set", "web", "Attempt", "192.0.2.1"},
		pyval.Tuple{"set", "web", "attempt", "192.0.2.5"},
		[]any{"get", "web", "maxretry"},
		"set",
	}
	write := func(s *Server, req any, viaHandle bool) string {
		var out bytes.Buffer
		pc := protocol.NewConn(struct {
			io.Reader
			io.Writer
		}{strings.NewReader(""), &out}, protocol.ConnOptions{})
		var err error
		if viaHandle {
			err = s.handle(t.Context(), &connState{pc: pc}, req)
		} else {
			err = s.reply(t.Context(), pc, req)
		}
		if err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	for _, req := range reqs {
		// each path gets its own copy: the server owns a request's list
		// (the reply-first path recycles it)
		want := write(slow, clone(req), false)
		got := write(fast, clone(req), true)
		if got != want {
			t.Errorf("%s: reply-first path wrote %q, the dispatcher %q", pyval.Repr(req), got, want)
		}
	}
	a := totalFailed(t, plain(mustDispatch(t, fast, "status", "web", "stats")))
	b := totalFailed(t, plain(mustDispatch(t, slow, "status", "web", "stats")))
	if a != b {
		t.Errorf("Total failed %d after the reply-first path, %d after the dispatcher", a, b)
	}
}

func clone(req any) any {
	if l, ok := req.([]any); ok {
		return slices.Clone(l)
	}
	return req
}

func mustDispatch(t *testing.T, s *Server, cmd ...any) any {
	t.Helper()
	v, err := s.Dispatch(t.Context(), cmd)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
