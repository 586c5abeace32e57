package loadgen

import (
	"context"
	"errors"
	"github.com/f2b/f2b/pkg/pyval"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/action"
	"github.com/f2b/f2b/pkg/server"
)

// startServer runs an in-process f2b server with one jail "stress" on a
// temporary socket and returns the socket path.
func startServer(tb testing.TB) (string, *server.Server) {
	tb.Helper()
	dir, err := os.MkdirTemp("/tmp", "f2blg-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s.sock")
	srv := server.New(server.Options{Socket: sock, Runner: &action.Recorder{}})
	ctx, cancel := context.WithCancel(context.Background())
	for _, cmd := range [][]any{
		{"add", "stress", "polling"},
		{"set", "stress", "maxretry", int64(1 << 30)},
		{"set", "stress", "findtime", "1d"},
		{"start", "stress"},
	} {
		if _, err := srv.Dispatch(ctx, cmd); err != nil {
			tb.Fatalf("%v: %v", cmd, err)
		}
	}
	ln, err := server.Listen(sock, false)
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("serve: %v", err)
		}
		srv.Shutdown(context.Background())
	})
	return sock, srv
}

func BenchmarkAttemptOneConn(b *testing.B) {
	sock, _ := startServer(b)
	b.ReportAllocs()
	b.ResetTimer()
	res, err := Run(b.Context(), Options{Socket: sock, Clients: 1, Requests: b.N, Command: Attempt("stress")})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(res.PerSecond(), "req/s")
}

func TestRun_CountsEveryAttempt(t *testing.T) {
	sock, srv := startServer(t)
	res, err := Run(t.Context(), Options{Socket: sock, Clients: 4, Requests: 50, Command: Attempt("stress")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 200 {
		t.Errorf("Requests = %d, want 200", res.Requests)
	}
	if res.PerSecond() <= 0 {
		t.Errorf("PerSecond = %v", res.PerSecond())
	}
	st, err := srv.Dispatch(t.Context(), []any{"status", "stress"})
	if err != nil {
		t.Fatal(err)
	}
	if s := pyval.Repr(st); !strings.Contains(s, "('Total failed', 200)") || !strings.Contains(s, "('Currently failed', 4)") {
		t.Errorf("status after 4x50 attempts: %s", s)
	}
}

func TestRun_Errors(t *testing.T) {
	sock, _ := startServer(t)
	errBad := errors.New("bad reply")
	tests := []struct {
		name    string
		in      Options
		wantErr string
		want    int // requests accepted before the error, for one client
	}{
		{name: "no clients", in: Options{Socket: sock, Requests: 1, Command: Attempt("stress")}, wantErr: "invalid options"},
		{name: "no command", in: Options{Socket: sock, Clients: 1, Requests: 1}, wantErr: "invalid options"},
		{name: "no server", in: Options{Socket: sock + ".missing", Clients: 1, Requests: 1, Command: Attempt("stress")}, wantErr: "no such file"},
		{name: "error reply", in: Options{Socket: sock, Clients: 1, Requests: 5, Command: Attempt("nosuchjail")}, wantErr: "UnknownJailException"},
		{name: "check rejects the fourth", in: Options{Socket: sock, Clients: 1, Requests: 10, Command: Attempt("stress"), Check: rejectAfter(3, errBad)}, wantErr: "bad reply", want: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(t.Context(), tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
			if res.Requests != tt.want {
				t.Errorf("Requests = %d, want %d", res.Requests, tt.want)
			}
		})
	}
}

// rejectAfter accepts n replies, then fails with err.
func rejectAfter(n int, err error) func(any) error {
	return func(reply any) error {
		if n == 0 {
			return err
		}
		n--
		return CheckOK(reply)
	}
}

func TestClientIP(t *testing.T) {
	tests := []struct {
		name string
		in   int
		want string
	}{
		{name: "first", in: 0, want: "10.0.0.1"},
		{name: "hundredth", in: 99, want: "10.0.99.1"},
		{name: "past a byte", in: 258, want: "10.1.2.1"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		if got := ClientIP(tt.in); got != tt.want {
			t.Errorf("%s: ClientIP(%d) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	for c := range 1 << 16 {
		ip := ClientIP(c)
		if seen[ip] {
			t.Fatalf("ClientIP(%d) = %q repeats", c, ip)
		}
		seen[ip] = true
	}
}

func BenchmarkAttempt8Conns(b *testing.B) {
	sock, _ := startServer(b)
	b.ReportAllocs()
	b.ResetTimer()
	res, err := Run(b.Context(), Options{Socket: sock, Clients: 8, Requests: max(b.N/8, 1), Command: Attempt("stress")})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(res.PerSecond(), "req/s")
}

// TestExchangeRepeatedReplies: a reply with the same bytes as the one
// before is not unpickled again, and a different one still is.
func TestExchangeRepeatedReplies(t *testing.T) {
	sock, _ := startServer(t)
	c, err := dial(t.Context(), sock, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	for _, tt := range []struct {
		cmd  []any
		want string
	}{
		{[]any{"ping"}, "(0, 'pong')"},
		{[]any{"ping"}, "(0, 'pong')"},
		{[]any{"echo", "a"}, "(0, ['a'])"},
		{[]any{"echo", "b"}, "(0, ['b'])"},
		{[]any{"echo", "b"}, "(0, ['b'])"},
		{[]any{"ping"}, "(0, 'pong')"},
	} {
		got, err := c.exchange(tt.cmd)
		if err != nil {
			t.Fatalf("%v: %v", tt.cmd, err)
		}
		if r := pyval.Repr(got); r != tt.want {
			t.Errorf("%v = %s, want %s", tt.cmd, r, tt.want)
		}
	}
}
