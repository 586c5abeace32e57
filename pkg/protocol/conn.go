package protocol

import (
	"errors"
	"io"

	"github.com/f2b/f2b/pkg/pyval"
)

// keepBuffer is the largest reply buffer a Conn keeps for reuse.
const keepBuffer = 1 << 20

// ConnOptions configure a Conn.
type ConnOptions struct {
	Reader ReaderOptions
	Decode DecodeOptions
	Encode EncodeOptions
}

// Conn is the server side of one client connection: it reads requests and
// writes replies, reusing its buffers. It does not know any command; the
// dispatcher decides what to answer. Not safe for concurrent use.
type Conn struct {
	w   io.Writer
	r   *Reader
	dec *Decoder
	enc *Encoder
	out []byte

	// reply is the (status, value) tuple of every reply, boxed once:
	// replyItems is its backing array, filled in for each reply.
	reply      any
	replyItems [2]any
}

// NewConn returns a Conn speaking over rw.
func NewConn(rw io.ReadWriter, opts ConnOptions) *Conn {
	opts.Decode.Reply = false
	c := &Conn{
		w:   rw,
		r:   NewReader(rw, opts.Reader),
		dec: NewDecoder(opts.Decode),
		enc: NewEncoder(opts.Encode),
	}
	c.reply = pyval.Tuple(c.replyItems[:])
	return c
}

// ReadRequest reads and decodes the next request. What to do with errors:
//   - *LoadError: reply with WriteLoadError and keep reading (fail2ban
//     keeps the connection open);
//   - ErrMessageTooLarge (wrapped): reply with WriteLoadError, then close;
//   - ErrCloseRequested: close without replying;
//   - io.EOF, io.ErrUnexpectedEOF or another read error: the peer is gone.
func (c *Conn) ReadRequest() (any, error) {
	msg, err := c.r.Next()
	if err != nil {
		return nil, err
	}
	return c.dec.Decode(msg)
}

// WriteResult writes the success reply (0, v).
func (c *Conn) WriteResult(v any) error {
	return c.writeTuple(int64(0), v)
}

// WriteException writes the failure reply (1, exc).
func (c *Conn) WriteException(exc *pyval.Exception) error {
	return c.writeTuple(int64(1), exc)
}

// writeTuple writes the reply (status, v) through the Conn's own tuple,
// which saves boxing a new one for every reply.
func (c *Conn) writeTuple(status int64, v any) error {
	c.replyItems = [2]any{status, v}
	err := c.WriteReply(c.reply)
	c.replyItems = [2]any{} // do not keep v alive until the next reply
	return err
}

// WriteLoadError writes the bare "ERROR: …" string fail2ban sends when a
// request cannot be read.
func (c *Conn) WriteLoadError(err error) error {
	if le, ok := errors.AsType[*LoadError](err); ok {
		return c.WriteReply(le.ReplyText())
	}
	return c.WriteReply("ERROR: " + err.Error())
}

// WriteReply pickles v and writes it followed by End. If v cannot be
// pickled it writes "ERROR: <reason>" instead, as fail2ban does, and
// returns nil; it returns only write errors.
func (c *Conn) WriteReply(v any) error {
	out, err := c.enc.Append(c.out[:0], v)
	if ee, ok := errors.AsType[*EncodeError](err); ok {
		out, err = c.enc.Append(c.out[:0], "ERROR: "+ee.Msg)
	}
	if err != nil {
		return err
	}
	out = append(out, End...)
	_, err = c.w.Write(out)
	c.out = out[:0]
	if cap(c.out) > keepBuffer {
		c.out = nil // do not pin one huge reply's buffer for the connection's life
	}
	return err
}
