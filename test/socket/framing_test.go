package socket

import (
	"errors"
	"io"
	"strings"
	"syscall"
	"testing"

	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// TestFraming_CloseMarker: requests before the close marker are answered,
// the marker itself gets no reply, and what follows it is ignored.
func TestFraming_CloseMarker(t *testing.T) {
	e := newEnv(t)
	e.start()
	rc := e.dial()
	var b []byte
	b = append(b, frame(t, []any{"echo", "before"})...)
	b = append(b, protocol.CloseMessage...)
	b = append(b, frame(t, []any{"set", jailName, "attempt", "192.0.2.99"})...)
	rc.send(b)
	if v, err := rc.reply(); err != nil || pyval.Repr(v) != ok([]any{"before"}) {
		t.Fatalf("request before the close marker: %v %v", pyval.Repr(v), err)
	}
	if v, err := rc.reply(); !isClosed(err) {
		t.Fatalf("after the close marker: got %v %v, want the connection closed", pyval.Repr(v), err)
	}
	if got := e.jailStatus()["Total failed"]; got != int64(0) {
		t.Errorf("request after the close marker was executed: Total failed = %v", got)
	}
}

// TestFraming_EndMarkerInsideArgument: the stream is split on the marker
// whatever it is inside, as fail2ban does; every fragment gets a load
// error and the connection stays usable.
func TestFraming_EndMarkerInsideArgument(t *testing.T) {
	e := newEnv(t)
	e.start()
	rc := e.dial()
	msg := frame(t, []any{"echo", "a" + protocol.End + "b"})
	if n := strings.Count(string(msg), protocol.End); n != 2 {
		t.Fatalf("test message has %d markers, want 2", n)
	}
	rc.send(msg)
	for i := range 2 {
		v, err := rc.reply()
		if err != nil {
			t.Fatalf("fragment %d: %v", i, err)
		}
		if s, isStr := v.(string); !isStr || !strings.HasPrefix(s, "ERROR: ") {
			t.Errorf("fragment %d: got %s, want a load error", i, pyval.Repr(v))
		}
	}
	rc.wantPing()
}

// TestFraming_ClientGoneMidRequest: a client that disconnects in the
// middle of a message (no close marker) costs nothing.
func TestFraming_ClientGoneMidRequest(t *testing.T) {
	e := newEnv(t)
	e.start()
	for range 50 {
		rc := e.dial()
		m := frame(t, []any{"set", jailName, "attempt", "192.0.2.50"})
		rc.send(m[:len(m)-5]) // all but part of the END marker
		rc.c.Close()
	}
	if got := e.jailStatus()["Total failed"]; got != int64(0) {
		t.Errorf("incomplete requests were executed: Total failed = %v", got)
	}
	e.dial().wantPing()
}

// isClosed reports whether err means the server closed the connection.
func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}
