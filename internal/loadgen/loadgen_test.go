package loadgen

import (
	"context"
	"os"
	"path/filepath"
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
