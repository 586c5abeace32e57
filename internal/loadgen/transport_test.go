package loadgen

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// silentServer accepts connections on a fresh socket and reads them, but
// never answers; it returns the socket path.
func silentServer(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "f2blg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	return sock
}

// A client waiting for a reply that never comes is released when the
// context ends: a blocking read(2) must not outlive Run.
func TestRun_CancelReleasesWaitingClient(t *testing.T) {
	sock := silentServer(t)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Options{Socket: sock, Clients: 3, Requests: 1, Command: Attempt("stress")})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the context's deadline", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run still waiting 10s after its context ended")
	}
}

// TestTransport runs with and without spinning for replies.
func TestTransport(t *testing.T) {
	for _, spin := range []time.Duration{0, time.Millisecond} {
		t.Run(spin.String(), func(t *testing.T) { testTransport(t, spin) })
	}
}

// transportPair returns a client transport (polling for replies for up
// to spin) and the server's end of its connection.
func transportPair(t *testing.T, spin time.Duration) (transport, net.Conn) {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "s")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tr, err := dialTransport(t.Context(), sock, spin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.close() })
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Close() })
	return tr, peer
}

func testTransport(t *testing.T, spin time.Duration) {
	tr, peer := transportPair(t, spin)

	// Bytes go both ways, in order, a read returning what has arrived.
	if _, err := tr.Write([]byte("request")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 7)
	if _, err := io.ReadFull(peer, got); err != nil || string(got) != "request" {
		t.Fatalf("peer read %q, %v", got, err)
	}
	peer.Write([]byte("reply"))
	buf := make([]byte, 64)
	n, err := tr.Read(buf)
	if err != nil || string(buf[:n]) != "reply" {
		t.Fatalf("Read = %q, %v; want \"reply\"", buf[:n], err)
	}
	if n, err := tr.Read(nil); n != 0 || err != nil {
		t.Errorf("Read(nil) = %d, %v", n, err)
	}

	// The peer going away is io.EOF for a reader and an error, not a
	// SIGPIPE, for a writer.
	peer.Close()
	if _, err := tr.Read(buf); err != io.EOF {
		t.Errorf("Read after the peer closed: %v, want io.EOF", err)
	}
	var werr error
	for range 100 { // the first write after the close may still be accepted
		if _, werr = tr.Write([]byte("x")); werr != nil {
			break
		}
	}
	if werr == nil {
		t.Error("Write to a closed peer never failed")
	}

	// close is idempotent and shutdown after it is harmless.
	if err := tr.close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if err := tr.close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	tr.shutdown()
}

// TestTransportSpinRunsOut: a reply later than the spin still arrives,
// through the sleeping wait.
func TestTransportSpinRunsOut(t *testing.T) {
	tr, peer := transportPair(t, time.Microsecond)
	go func() {
		time.Sleep(20 * time.Millisecond)
		peer.Write([]byte("late"))
	}()
	buf := make([]byte, 8)
	if n, err := tr.Read(buf); err != nil || string(buf[:n]) != "late" {
		t.Fatalf("Read = %q, %v; want \"late\"", buf[:n], err)
	}
}

func TestDialTransport_NoServer(t *testing.T) {
	_, err := dialTransport(t.Context(), filepath.Join(t.TempDir(), "missing"), 0)
	if err == nil {
		t.Fatal("dial to a missing socket succeeded")
	}
}
