package server

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// unixPair returns both ends of a connected unix socket: the server's as
// Accept returns it, and the client's.
func unixPair(t *testing.T) (server, client net.Conn) {
	t.Helper()
	ln, err := net.Listen("unix", filepath.Join(t.TempDir(), "s"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err = net.Dial("unix", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

func TestRawIO_NoDescriptor(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if r := newRawIO(a); r != nil {
		t.Error("newRawIO(net.Pipe) is not nil")
	}
}

func TestRawIO_ReadWrite(t *testing.T) {
	tests := []struct {
		name string
		size int
	}{
		{name: "one byte", size: 1},
		{name: "request sized", size: 120},
		// Larger than the socket buffer: Write waits for the reader.
		{name: "8 MiB", size: 8 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, cc := unixPair(t)
			r := newRawIO(sc)
			if r == nil {
				t.Fatal("newRawIO(unix conn) is nil")
			}
			msg := bytes.Repeat([]byte("0123456789abcdef"), tt.size/16+1)[:tt.size]
			// server -> client
			got := make(chan []byte, 1)
			go func() {
				b, _ := io.ReadAll(io.LimitReader(cc, int64(len(msg))))
				got <- b
			}()
			if n, err := r.Write(msg); n != len(msg) || err != nil {
				t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(msg))
			}
			if b := <-got; !bytes.Equal(b, msg) {
				t.Fatalf("client read %d bytes, not what was written", len(b))
			}
			// client -> server, then EOF
			go func() { cc.Write(msg); cc.Close() }()
			b, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(b, msg) {
				t.Fatalf("server read %d bytes, %v; want the %d written", len(b), err, len(msg))
			}
			if n, err := r.Read(make([]byte, 1)); n != 0 || err != io.EOF {
				t.Errorf("Read after the peer closed = %d, %v; want 0, EOF", n, err)
			}
			if n, err := r.Read(nil); n != 0 || err != nil {
				t.Errorf("Read(nil) = %d, %v; want 0, nil", n, err)
			}
		})
	}
}

// TestRawIO_Deadlines: a read deadline ends a wait for a request, and a
// write deadline ends a write to a peer that does not read, as with
// net.Conn (Serve's shutdown relies on both).
func TestRawIO_Deadlines(t *testing.T) {
	sc, _ := unixPair(t)
	r := newRawIO(sc)
	sc.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := r.Read(make([]byte, 10)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Read past the deadline: %v, want ErrDeadlineExceeded", err)
	}
	big := make([]byte, 64<<20) // before the deadline: faulting in 64 MiB can take longer than it
	sc.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	n, err := r.Write(big)
	if !errors.Is(err, os.ErrDeadlineExceeded) || n <= 0 || n >= 64<<20 {
		t.Errorf("Write to a peer that does not read = %d, %v; want a partial count and ErrDeadlineExceeded", n, err)
	}
}

// TestRawIO_Close: closing the connection ends a wait for a request.
func TestRawIO_Close(t *testing.T) {
	sc, _ := unixPair(t)
	r := newRawIO(sc)
	done := make(chan error, 1)
	go func() {
		_, err := r.Read(make([]byte, 10))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	sc.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Read on a closed connection: %v, want net.ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Read still waiting 10 s after Close")
	}
}

// TestRawIO_PeerGone: writing to a peer that has closed its end fails
// with EPIPE (the runtime ignores SIGPIPE for sockets) and reading gives
// EOF, as net.Conn does.
func TestRawIO_PeerGone(t *testing.T) {
	sc, cc := unixPair(t)
	r := newRawIO(sc)
	cc.Close()
	if n, err := r.Read(make([]byte, 10)); n != 0 || err != io.EOF {
		t.Errorf("Read after the peer closed = %d, %v; want 0, EOF", n, err)
	}
	var err error
	for range 100 { // the first writes may still be buffered
		if _, err = r.Write([]byte("reply")); err != nil {
			break
		}
	}
	if !errors.Is(err, syscall.EPIPE) && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("Write to a closed peer: %v, want EPIPE", err)
	}
}

// TestRawIO_Spin: a connection whose spin runs out still gets its request
// (through the poller), loses spin score down to a floor, and leaves the
// spinner slot free; a request soon after a park earns score back.
func TestRawIO_Spin(t *testing.T) {
	if !multiP() {
		t.Skip("spinning needs two Ps")
	}
	sc, cc := unixPair(t)
	r := newRawIO(sc)
	buf := make([]byte, 8)
	for i := range 10 {
		r.score = 1
		go func() {
			time.Sleep(20 * time.Millisecond) // far beyond spinFor and hotWithin, even on a busy machine
			cc.Write([]byte{'a' + byte(i)})
		}()
		n, err := r.Read(buf)
		if err != nil || n != 1 || buf[0] != 'a'+byte(i) {
			t.Fatalf("Read %d = %q, %v", i, buf[:n], err)
		}
		if r.score != 1-spinPenalty {
			t.Fatalf("score after a spin that ran out: %d, want %d", r.score, 1-spinPenalty)
		}
		if spinners.Load() != 0 {
			t.Fatal("the spinner slot is still taken")
		}
	}
	r.score = -spinScoreMax
	r.score = max(r.score-spinPenalty, -spinScoreMax)
	if r.score != -spinScoreMax {
		t.Fatalf("score below its floor: %d", r.score)
	}
	// no spin (score not positive): a prompt request after the park
	// raises the score
	r.score = 0
	go func() {
		time.Sleep(20 * time.Microsecond)
		cc.Write([]byte("z"))
	}()
	if n, err := r.Read(buf); err != nil || string(buf[:n]) != "z" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if r.score < 0 || r.score > 1 {
		t.Fatalf("score %d after a request following a park", r.score)
	}
}

// TestRawIO_TryWrite: TryWrite takes what fits in the socket buffer and
// returns at once when it is full, instead of waiting for the reader.
func TestRawIO_TryWrite(t *testing.T) {
	sc, cc := unixPair(t)
	r := newRawIO(sc)
	if n, err := r.TryWrite([]byte("hello")); n != 5 || err != nil {
		t.Fatalf("TryWrite = %d, %v", n, err)
	}
	big := bytes.Repeat([]byte("x"), 16<<20) // beyond any socket buffer
	done := make(chan struct{})
	var n int
	var err error
	go func() {
		n, err = r.TryWrite(big)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("TryWrite waits for the reader")
	}
	if err != nil || n <= 0 || n >= len(big) {
		t.Fatalf("TryWrite into a filling buffer = %d, %v; want part of %d", n, err, len(big))
	}
	if m, err := r.TryWrite(big[n:]); m != 0 || err != nil {
		t.Fatalf("TryWrite into a full buffer = %d, %v", m, err)
	}
	// the reader gets everything written, in order
	got := make([]byte, 5+n)
	cc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(cc, got); err != nil {
		t.Fatal(err)
	}
	if string(got[:5]) != "hello" || !bytes.Equal(got[5:], big[:n]) {
		t.Fatal("the reader got other bytes")
	}
	cc.Close()
	if _, err := r.TryWrite([]byte("late")); err == nil {
		t.Error("TryWrite to a closed peer: no error")
	}
}
