package protocol

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

type rw struct {
	in  io.Reader
	out bytes.Buffer
}

func (c *rw) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *rw) Write(p []byte) (int, error) { return c.out.Write(p) }

func TestConn(t *testing.T) {
	req := readHex(t, "ping.request.hex")
	in := "not a pickle" + End + string(req)
	c := &rw{in: strings.NewReader(in)}
	conn := NewConn(c, ConnOptions{})

	_, err := conn.ReadRequest()
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("first request error = %v, want *LoadError", err)
	}
	if err := conn.WriteLoadError(err); err != nil {
		t.Fatal(err)
	}
	v, err := conn.ReadRequest()
	if err != nil || !pyval.Equal(v, []any{"ping"}) {
		t.Fatalf("second request = %s, %v", pyval.Repr(v), err)
	}
	if err := conn.WriteResult("pong"); err != nil {
		t.Fatal(err)
	}
	if err := conn.WriteException(pyval.NewException("Exception", "Invalid command")); err != nil {
		t.Fatal(err)
	}
	if err := conn.WriteResult(struct{}{}); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ReadRequest(); err != ErrCloseRequested {
		t.Fatalf("third request error = %v, want ErrCloseRequested", err)
	}
	want := string(readHex(t, "malformed.reply.hex")) + string(readHex(t, "ping.reply.hex")) +
		string(readHex(t, "invalid_command.reply.hex"))
	got := c.out.String()
	if !strings.HasPrefix(got, want) {
		t.Fatalf("replies =\n%x\nwant prefix\n%x", got, want)
	}
	last, err := DecodeReply([]byte(strings.TrimSuffix(got[len(want):], End)))
	if err != nil || last != "ERROR: cannot pickle 'struct {}' object" {
		t.Fatalf("unpicklable reply = %q, %v", last, err)
	}
}

// TestConn_ReplyTuple checks that the reused reply tuple encodes exactly
// as a fresh one, allocates nothing, and lets go of the value afterwards.
func TestConn_ReplyTuple(t *testing.T) {
	c := &rw{in: strings.NewReader("")}
	conn := NewConn(c, ConnOptions{})
	exc := pyval.NewException("Exception", "Invalid command")
	for _, tt := range []struct {
		name  string
		write func() error
		want  any
	}{
		{name: "result", write: func() error { return conn.WriteResult(int64(1)) }, want: pyval.Tuple{int64(0), int64(1)}},
		{name: "list result", write: func() error { return conn.WriteResult([]any{"a", int64(2)}) }, want: pyval.Tuple{int64(0), []any{"a", int64(2)}}},
		{name: "exception", write: func() error { return conn.WriteException(exc) }, want: pyval.Tuple{int64(1), exc}},
	} {
		c.out.Reset()
		if err := tt.write(); err != nil {
			t.Fatal(err)
		}
		want, err := Encode(tt.want)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.out.String(); got != string(want)+End {
			t.Errorf("%s: wrote %x, want %x", tt.name, got, string(want)+End)
		}
		if conn.replyItems != [2]any{} {
			t.Errorf("%s: reply tuple still holds %v", tt.name, conn.replyItems)
		}
	}
	c.out.Reset()
	conn.WriteResult(int64(1)) // the buffers have grown
	if n := testing.AllocsPerRun(100, func() { c.out.Reset(); conn.WriteResult(int64(1)) }); n != 0 {
		t.Errorf("WriteResult allocates %v times, want 0", n)
	}
}
