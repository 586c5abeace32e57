package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/action"
	"github.com/f2b/f2b/pkg/logging"
	"github.com/f2b/f2b/pkg/protocol"
)

// replay is an endless stream of one framed request.
type replay struct {
	msg []byte
	off int
}

func (r *replay) Read(p []byte) (int, error) {
	n := copy(p, r.msg[r.off:])
	r.off = (r.off + n) % len(r.msg)
	return n, nil
}

// BenchmarkServeAttempt is the server's CPU for one `set <jail> attempt`
// request as bench/socket.sh sends it, without the socket: frame, decode,
// dispatch to the jail, log the INFO line to a buffered file as f2b-server
// does, encode the reply. What is left of a request's cost over a real
// socket is the kernel's and the scheduler's.
func BenchmarkServeAttempt(b *testing.B) {
	dir := b.TempDir()
	target, err := logging.OpenTarget(filepath.Join(dir, "f2b.log"), logging.TargetOptions{FlushDelay: 50 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	defer target.Close()
	s := New(Options{Runner: &action.Recorder{}, Logger: slog.New(logging.New(target, logging.Options{}))})
	ctx := context.Background()
	logf := filepath.Join(dir, "stress.log")
	os.WriteFile(logf, nil, 0o644)
	for _, cmd := range [][]any{
		{"add", "stress", "polling"},
		{"set", "stress", "usedns", "no"},
		{"set", "stress", "maxretry", int64(1 << 30)},
		{"set", "stress", "findtime", "1d"},
		{"set", "stress", "addlogpath", logf, "head"},
		{"start", "stress"},
	} {
		if _, err := s.Dispatch(ctx, cmd); err != nil {
			b.Fatalf("%v: %v", cmd, err)
		}
	}
	defer s.Shutdown(ctx)
	enc := protocol.NewEncoder(protocol.EncodeOptions{})
	msg, err := enc.Append(nil, []any{"set", "stress", "attempt", "10.0.0.1", "load test failure 12345"})
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	pc := protocol.NewConn(struct {
		io.Reader
		io.Writer
	}{&replay{msg: append(msg, protocol.End...)}, &out}, protocol.ConnOptions{})
	cs := &connState{pc: pc}
	b.ReportAllocs()
	for b.Loop() {
		req, err := pc.ReadRequest()
		if err != nil {
			b.Fatal(err)
		}
		out.Reset()
		if err := s.handle(ctx, cs, req); err != nil {
			b.Fatal(err)
		}
	}
	if !bytes.HasSuffix(out.Bytes(), []byte(protocol.End)) {
		b.Fatalf("reply %q", out.Bytes())
	}
}

// BenchmarkBarrier is what the attempt gate adds to every other socket
// command when no attempt is in flight: an uncontended Lock and Unlock.
func BenchmarkBarrier(b *testing.B) {
	s := New(Options{})
	for b.Loop() {
		s.barrier()
	}
}
