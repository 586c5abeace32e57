package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/f2b/f2b/pkg/protocol"
)

// transport is the client end of one connection: blocking system calls on
// Linux (see blockingConn), a net.Conn elsewhere.
type transport interface {
	io.ReadWriter
	// shutdown ends a Read or Write in progress on another goroutine.
	shutdown()
	close() error
}

// conn is one keep-alive client connection.
type conn struct {
	t   transport
	r   *protocol.Reader
	enc *protocol.Encoder
	dec *protocol.Decoder
	buf []byte
	// lastRaw and last are the previous reply's bytes and value: a
	// server answers a run of attempts with the same bytes, which need
	// not be unpickled again (the value is read-only to callers).
	lastRaw []byte
	last    any
}

func dial(ctx context.Context, socket string, spin time.Duration) (*conn, error) {
	t, err := dialTransport(ctx, socket, spin)
	if err != nil {
		return nil, err
	}
	return &conn{
		t:   t,
		r:   protocol.NewReader(t, protocol.ReaderOptions{}),
		enc: protocol.NewEncoder(protocol.EncodeOptions{}),
		dec: protocol.NewDecoder(protocol.DecodeOptions{Reply: true}),
	}, nil
}

// exchange sends one request and returns the decoded reply.
func (c *conn) exchange(cmd []any) (any, error) {
	msg, err := c.enc.Append(c.buf[:0], cmd)
	if err != nil {
		return nil, fmt.Errorf("encoding request: %w", err)
	}
	msg = append(msg, protocol.End...)
	c.buf = msg[:0]
	if _, err := c.t.Write(msg); err != nil {
		return nil, fmt.Errorf("sending request: %w", err)
	}
	raw, err := c.r.Next()
	if err != nil {
		return nil, fmt.Errorf("reading reply: %w", err)
	}
	if c.lastRaw != nil && bytes.Equal(raw, c.lastRaw) {
		return c.last, nil
	}
	v, err := c.dec.Decode(raw)
	if err != nil {
		return nil, err
	}
	c.lastRaw, c.last = append(c.lastRaw[:0], raw...), v
	return v, nil
}

// close ends the connection politely, with the close marker.
func (c *conn) close() {
	c.t.Write(protocol.CloseMessage)
	c.t.close()
}

// runClient sends client idx's requests one at a time over one connection
// and returns how many were answered acceptably.
func runClient(ctx context.Context, opts Options, idx int) (int, error) {
	c, err := dial(ctx, opts.Socket, opts.Spin)
	if err != nil {
		return 0, err
	}
	defer c.close()
	stop := context.AfterFunc(ctx, c.t.shutdown)
	defer stop()
	for i := range opts.Requests {
		cmd := opts.Command(idx, i)
		reply, err := c.exchange(cmd)
		if err != nil {
			return i, err
		}
		if err := opts.Check(reply); err != nil {
			return i, fmt.Errorf("request %d %v: %w", i, cmd, err)
		}
	}
	return opts.Requests, nil
}
