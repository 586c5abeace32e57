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

// tryRW is a TryWriter that takes at most room bytes without waiting.
type tryRW struct {
	rw
	room  int
	tries int
	err   error
}

func (c *tryRW) TryWrite(p []byte) (int, error) {
	c.tries++
	n := min(len(p), c.room)
	c.room -= n
	c.out.Write(p[:n])
	return n, c.err
}

// TestConn_StartResult: StartResult writes what goes out without waiting
// (all of it over a plain writer only at Flush), and Flush the rest, so
// that the bytes are those of WriteResult.
func TestConn_StartResult(t *testing.T) {
	want, err := Encode(pyval.Tuple{int64(0), int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	full := string(want) + End
	tests := []struct {
		name      string
		room      int  // bytes TryWrite takes; -1: not a TryWriter
		wantStart int  // bytes written by StartResult
		wantTries bool // whether TryWrite was called
	}{
		{name: "plain writer", room: -1, wantStart: 0},
		{name: "all fits", room: 1 << 10, wantStart: len(full), wantTries: true},
		{name: "part fits", room: 5, wantStart: 5, wantTries: true},
		{name: "buffer full", room: 0, wantStart: 0, wantTries: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var conn *Conn
			var out *bytes.Buffer
			tw := &tryRW{room: tt.room}
			if tt.room < 0 {
				c := &rw{in: strings.NewReader("")}
				conn, out = NewConn(c, ConnOptions{}), &c.out
			} else {
				conn, out = NewConn(tw, ConnOptions{}), &tw.out
			}
			for range 3 { // the buffers are reused
				out.Reset()
				tw.room = tt.room
				if err := conn.StartResult(int64(1)); err != nil {
					t.Fatal(err)
				}
				if out.Len() != tt.wantStart {
					t.Fatalf("StartResult wrote %d bytes, want %d", out.Len(), tt.wantStart)
				}
				if err := conn.Flush(); err != nil {
					t.Fatal(err)
				}
				if out.String() != full {
					t.Fatalf("wrote %x, want %x", out.String(), full)
				}
				if err := conn.Flush(); err != nil || out.String() != full {
					t.Fatalf("a second Flush wrote %x, %v", out.String()[len(full):], err)
				}
			}
			if (tw.tries > 0) != tt.wantTries {
				t.Errorf("TryWrite called %d times", tw.tries)
			}
		})
	}
}

// TestConn_StartResultError: a failed TryWrite leaves nothing to Flush.
func TestConn_StartResultError(t *testing.T) {
	boom := errors.New("boom")
	tw := &tryRW{room: 3, err: boom}
	conn := NewConn(tw, ConnOptions{})
	if err := conn.StartResult(int64(1)); err != boom {
		t.Fatalf("StartResult = %v, want %v", err, boom)
	}
	tw.out.Reset()
	if err := conn.Flush(); err != nil || tw.out.Len() != 0 {
		t.Fatalf("Flush after an error wrote %d bytes, %v", tw.out.Len(), err)
	}
}

// TestConn_SmallResults: the cached replies of small ints are byte for
// byte what the encoder writes, in both protocols, and stay intact when
// other replies reuse the Conn's buffer.
func TestConn_SmallResults(t *testing.T) {
	for _, proto := range []int{4, 5} {
		enc := NewEncoder(EncodeOptions{Protocol: proto})
		c := &rw{in: strings.NewReader("")}
		conn := NewConn(c, ConnOptions{Encode: EncodeOptions{Protocol: proto}})
		for _, n := range []int64{0, 1, 2, 127, 128, 255, 256, 65536, -1, -256} {
			want, err := enc.Append(nil, pyval.Tuple{int64(0), n})
			if err != nil {
				t.Fatal(err)
			}
			for _, write := range []func() error{
				func() error { return conn.WriteResult(n) },
				func() error {
					if err := conn.StartResult(n); err != nil {
						return err
					}
					return conn.Flush()
				},
			} {
				c.out.Reset()
				if err := write(); err != nil {
					t.Fatal(err)
				}
				if got := c.out.String(); got != string(want)+End {
					t.Errorf("protocol %d, (0, %d): wrote %x, want %x", proto, n, got, string(want)+End)
				}
				conn.WriteResult(strings.Repeat("x", 300)) // reuses the buffer
			}
		}
	}
}

// TestConn_Recycle: a recycled request list is reused, cleared, by the
// next request of strings, and only by one; without Recycle each request
// has its own list.
func TestConn_Recycle(t *testing.T) {
	enc := NewEncoder(EncodeOptions{})
	var in []byte
	reqs := [][]any{
		{"set", "web", "attempt", "192.0.2.1", "msg one"},
		{"set", "web", "attempt", "192.0.2.2"},
		{"ping"},
		{"set", "web", "attempt", "192.0.2.3", "a", "b", "c"}, // longer than the recycled ["ping"]
		{"status", "web"},
		{"echo", int64(1)}, // not a list of strings: decoded the general way
	}
	for _, r := range reqs {
		b, err := enc.Append(nil, r)
		if err != nil {
			t.Fatal(err)
		}
		in = append(append(in, b...), End...)
	}
	conn := NewConn(&rw{in: bytes.NewReader(in)}, ConnOptions{})
	var prev []any
	for i, want := range reqs {
		v, err := conn.ReadRequest()
		if err != nil {
			t.Fatal(err)
		}
		if !pyval.Equal(v, want) {
			t.Fatalf("request %d = %s, want %s", i, pyval.Repr(v), pyval.Repr(want))
		}
		got := v.([]any)
		reused := prev != nil && len(want) <= cap(prev) && i != 5
		if same := prev != nil && cap(got) > 0 && &got[:1][0] == &prev[:1][0]; same != reused {
			t.Errorf("request %d: list reused = %v, want %v", i, same, reused)
		}
		if i%2 == 0 {
			conn.Recycle(got)
			if got[0] != nil {
				t.Errorf("request %d: recycled list not cleared", i)
			}
			prev = got
		} else {
			prev = nil
		}
	}
	// a huge list is not kept
	conn.dec.spare = nil
	conn.Recycle(make([]any, 1, maxRecycled+1))
	if conn.dec.spare != nil {
		t.Error("Recycle kept a list beyond maxRecycled")
	}
}
