package client

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// fakeServer answers requests on a temp socket with canned replies and
// records whether each connection ended with the close marker.
type fakeServer struct {
	sock   string
	ln     net.Listener
	wg     sync.WaitGroup
	mu     sync.Mutex
	closes int
	seen   [][]any
}

func startFake(t *testing.T) *fakeServer {
	t.Helper()
	s := &fakeServer{sock: filepath.Join(t.TempDir(), "f2b.sock")}
	ln, err := net.Listen("unix", s.sock)
	if err != nil {
		t.Fatal(err)
	}
	s.ln = ln
	s.wg.Go(s.accept)
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *fakeServer) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Go(func() { s.serve(c) })
	}
}

func (s *fakeServer) serve(c net.Conn) {
	defer c.Close()
	conn := protocol.NewConn(c, protocol.ConnOptions{})
	for {
		req, err := conn.ReadRequest()
		if errors.Is(err, protocol.ErrCloseRequested) {
			s.mu.Lock()
			s.closes++
			s.mu.Unlock()
			return
		}
		if err != nil {
			return
		}
		s.mu.Lock()
		s.seen = append(s.seen, req.([]any))
		s.mu.Unlock()
		s.reply(conn, req.([]any))
	}
}

func (s *fakeServer) reply(conn *protocol.Conn, req []any) {
	switch req[0] {
	case "ping":
		conn.WriteResult("pong")
	case "get":
		conn.WriteResult([]any{protocol.IPAddr("192.0.2.1")})
	case "status":
		conn.WriteException(&pyval.Exception{Module: "fail2ban.exceptions", Name: "UnknownJailException", Args: []any{req[1]}})
	case "bare":
		conn.WriteReply("ERROR: invalid load key, 'n'.")
	default:
		conn.WriteException(pyval.NewException("Exception", "Invalid command"))
	}
}

func TestClient_Send(t *testing.T) {
	s := startFake(t)
	ctx := t.Context()
	c, err := Dial(ctx, Options{Socket: s.sock})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      []any
		want    any
		wantErr string
	}{
		{name: "ping", in: []any{"ping", 0.1}, want: "pong"},
		{name: "ip list", in: cmd("get", "webapp", "banned"), want: []any{"192.0.2.1"}},
		{name: "unknown jail", in: cmd("status", "nojail"), wantErr: "server: 'nojail'"},
		{name: "bare error", in: cmd("bare"), wantErr: `unexpected reply "ERROR: invalid load key, 'n'."`},
		{name: "invalid", in: cmd("foo", "bar"), wantErr: "server: Invalid command"},
	}
	for _, tc := range tests { // all on one connection: keep-alive
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Send(ctx, tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("Send error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !pyval.Equal(got, tc.want) {
				t.Fatalf("Send = %s, %v; want %s", pyval.Repr(got), err, pyval.Repr(tc.want))
			}
		})
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	s.ln.Close()
	s.wg.Wait()
	if s.closes != 1 || len(s.seen) != len(tests) {
		t.Fatalf("server saw %d requests and %d close markers", len(s.seen), s.closes)
	}
}

func TestClient_ServerErrorType(t *testing.T) {
	s := startFake(t)
	c, err := Dial(t.Context(), Options{Socket: s.sock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Send(t.Context(), cmd("status", "nojail"))
	se, ok := errors.AsType[*ServerError](err)
	if !ok || BeautifyError(se.Exc) != "Sorry but the jail 'nojail' does not exist" || ExitCode(err) != ExitError {
		t.Fatalf("err = %v", err)
	}
}

func TestDial_Errors(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "stale.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "missing", in: filepath.Join(dir, "none.sock"), want: "Failed to access socket path: " + filepath.Join(dir, "none.sock") + ". Is fail2ban running?"},
		{name: "stale", in: stale, want: "[[Errno 111] Connection refused] Unable to contact server. Is it running?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Dial(t.Context(), Options{Socket: tc.in})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("Dial error = %v, want %q", err, tc.want)
			}
			if ExitCode(err) != ExitError {
				t.Fatal("exit code should be 255")
			}
		})
	}
	if _, err := os.Stat(stale); err != nil {
		t.Fatal(err)
	}
}

func TestClient_ContextCancel(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "silent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { // accept and never answer
		c, err := ln.Accept()
		if err == nil {
			buf := make([]byte, 1024)
			for _, err := c.Read(buf); err == nil; _, err = c.Read(buf) {
			}
			c.Close()
		}
	})
	ctx, cancel := context.WithCancel(t.Context())
	c, err := Dial(ctx, Options{Socket: sock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cancel()
	_, err = c.Send(ctx, cmd("ping"))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "reading reply") && !strings.Contains(err.Error(), "sending") {
		t.Fatalf("Send after cancel = %v", err)
	}
}
