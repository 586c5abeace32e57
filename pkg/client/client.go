package client

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// replyMaxItems caps the values of one reply: enough for the IP lists of
// several million bans.
const replyMaxItems = 1 << 26

// DefaultSocket is fail2ban's default socket path.
const DefaultSocket = "/var/run/fail2ban/fail2ban.sock"

// Options configure a Client.
type Options struct {
	// Socket is the server's unix socket; empty means DefaultSocket.
	Socket string
	// Timeout bounds each exchange (dial, or request plus reply); 0 means
	// no limit beyond the context's deadline.
	Timeout time.Duration
	// MaxMessage caps one reply's size; 0 means protocol.DefaultMaxMessage.
	MaxMessage int
}

// Client is one connection to the server. Several commands may be sent on
// it in turn (keep-alive, as in interactive mode); it is not safe for
// concurrent use.
type Client struct {
	opts Options
	conn net.Conn
	r    *protocol.Reader
	enc  *protocol.Encoder
	dec  *protocol.Decoder
	buf  []byte
}

// Dial connects to the server's socket. Errors are *DialError.
func Dial(ctx context.Context, opts Options) (*Client, error) {
	if opts.Socket == "" {
		opts.Socket = DefaultSocket
	}
	d := net.Dialer{Timeout: opts.Timeout}
	conn, err := d.DialContext(ctx, "unix", opts.Socket)
	if err != nil {
		return nil, &DialError{Socket: opts.Socket, Err: err}
	}
	return &Client{
		opts: opts,
		conn: conn,
		r:    protocol.NewReader(conn, protocol.ReaderOptions{MaxMessage: replyMaxMessage(opts.MaxMessage)}),
		enc:  protocol.NewEncoder(protocol.EncodeOptions{}),
		// Replies come from the server we asked, and a status with a
		// million bans is a legitimate reply: only the message size cap
		// (MaxMessage) bounds them, not the request-sized item cap.
		dec: protocol.NewDecoder(protocol.DecodeOptions{Reply: true, MaxItems: replyMaxItems}),
	}, nil
}

// Send sends one command and returns the result of a (0, result) reply.
// A (1, exc) reply is returned as *ServerError, any other reply as
// *ReplyError; socket failures are wrapped errors.
func (c *Client) Send(ctx context.Context, cmd []any) (any, error) {
	reply, err := c.Exchange(ctx, cmd)
	if err != nil {
		return nil, err
	}
	return Result(reply)
}

// Exchange sends one command and returns the decoded reply as it is.
func (c *Client) Exchange(ctx context.Context, cmd []any) (any, error) {
	if err := c.setDeadline(ctx); err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { c.conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	msg, err := c.enc.Append(c.buf[:0], cmd)
	if err != nil {
		return nil, fmt.Errorf("encoding command %s: %w", pyval.Repr(cmd), err)
	}
	msg = append(msg, protocol.End...)
	c.buf = msg[:0]
	if _, err := c.conn.Write(msg); err != nil {
		return nil, c.ioError(ctx, "sending command", err)
	}
	raw, err := c.r.Next()
	if err != nil {
		return nil, c.ioError(ctx, "reading reply", err)
	}
	return c.dec.Decode(raw)
}

func (c *Client) setDeadline(ctx context.Context) error {
	var deadline time.Time
	if c.opts.Timeout > 0 {
		deadline = time.Now().Add(c.opts.Timeout)
	}
	if d, ok := ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
		deadline = d
	}
	return c.conn.SetDeadline(deadline)
}

func (c *Client) ioError(ctx context.Context, what string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	return fmt.Errorf("%s on %s: %w", what, c.opts.Socket, err)
}

// Result interprets a reply: (0, v) gives v, (1, exc) a *ServerError,
// anything else a *ReplyError.
func Result(reply any) (any, error) {
	t, ok := reply.(pyval.Tuple)
	if !ok || len(t) != 2 {
		return nil, &ReplyError{Reply: reply}
	}
	code, ok := t[0].(int64)
	switch {
	case ok && code == 0:
		return t[1], nil
	case !ok:
		return nil, &ReplyError{Reply: reply}
	}
	if exc, ok := t[1].(*pyval.Exception); ok {
		return nil, &ServerError{Exc: exc}
	}
	return nil, &ReplyError{Reply: reply}
}

// Close sends the close marker, as fail2ban-client does, and closes the
// connection.
func (c *Client) Close() error {
	// A write error is expected when the server already went away (after
	// "stop"); only the close itself matters.
	c.conn.SetWriteDeadline(time.Now().Add(time.Second))
	c.conn.Write(protocol.CloseMessage)
	return c.conn.Close()
}

// replyMaxMessage is the reply size cap: the option, or 1 GiB (a million
// banned IPs in a status reply are ~40 MiB, beyond the request default).
func replyMaxMessage(n int) int {
	if n > 0 {
		return n
	}
	return 1 << 30
}
