package protocol

import (
	"errors"
	"io"
	"sync"

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
	// ints are the encoded replies (0, n) for small n, see smallResults.
	ints *[smallResultLimit][]byte

	// unsent is the tail of a reply that StartResult could not write
	// without waiting; Flush writes it.
	unsent []byte

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
	c.ints = &smallResults()[c.enc.proto-4]
	return c
}

// smallResultLimit bounds the cached replies: (0, n) for 0 ≤ n < it.
const smallResultLimit = 256

// smallResults are the encoded success replies (0, n), End included, for
// the small ints that most commands return (`set <jail> attempt` answers
// 1 or 0, banip and unbanip a count), in protocols 4 and 5: byte for byte
// what the encoder writes, made once.
var smallResults = sync.OnceValue(func() *[2][smallResultLimit][]byte {
	var t [2][smallResultLimit][]byte
	for p := range t {
		enc := NewEncoder(EncodeOptions{Protocol: 4 + p})
		for n := range smallResultLimit {
			b, err := enc.Append(nil, pyval.Tuple{int64(0), int64(n)})
			if err != nil {
				panic(err) // a tuple of two ints always pickles
			}
			t[p][n] = append(b, End...)
		}
	}
	return &t
})

// result returns the encoded success reply (0, v): cached for a small
// int, else in the Conn's buffer (valid until the next encode).
func (c *Conn) result(v any) ([]byte, error) {
	if n, ok := v.(int64); ok && n >= 0 && n < smallResultLimit {
		return c.ints[n], nil
	}
	c.replyItems = [2]any{int64(0), v}
	out, err := c.encode(c.reply)
	c.replyItems = [2]any{} // do not keep v alive until the next reply
	return out, err
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

// Recycle hands back the list of a request from ReadRequest once nothing
// refers to it any more (its strings may still be kept), so that the next
// request of strings, the usual kind, reuses it instead of allocating.
// The caller must not touch the list afterwards.
func (c *Conn) Recycle(req []any) {
	if cap(req) > maxRecycled {
		return // not worth pinning
	}
	clear(req[:cap(req)])
	c.dec.spare = req[:0]
}

// maxRecycled bounds the capacity of a list that Recycle keeps: an
// attempt has five items.
const maxRecycled = 16

// WriteResult writes the success reply (0, v).
func (c *Conn) WriteResult(v any) error {
	out, err := c.result(v)
	if err != nil {
		return err
	}
	_, err = c.w.Write(out)
	return err
}

// TryWriter is a writer that can write without waiting: TryWrite writes
// what the kernel takes at once (possibly nothing) and returns how much.
// A Conn over a TryWriter can start a reply without blocking, see
// StartResult.
type TryWriter interface {
	TryWrite(p []byte) (int, error)
}

// StartResult encodes the success reply (0, v) and writes as much of it as
// goes out without waiting. It never blocks, so it may be called while
// holding a lock that a client which does not read its replies must not
// keep held. Flush must follow before the next write: it writes the rest,
// if any. Over a writer that is not a TryWriter, nothing is written until
// Flush.
func (c *Conn) StartResult(v any) error {
	out, err := c.result(v)
	if err != nil {
		return err
	}
	c.unsent = out
	if tw, ok := c.w.(TryWriter); ok {
		n, err := tw.TryWrite(out)
		c.unsent = out[n:]
		if err != nil {
			c.unsent = nil
			return err
		}
	}
	return nil
}

// Flush writes what StartResult left unsent, waiting as Write does.
func (c *Conn) Flush() error {
	if len(c.unsent) == 0 {
		c.unsent = nil
		return nil
	}
	_, err := c.w.Write(c.unsent)
	c.unsent = nil
	return err
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
	out, err := c.encode(v)
	if err != nil {
		return err
	}
	_, err = c.w.Write(out)
	return err
}

// encode pickles v followed by End into the Conn's buffer, or
// "ERROR: <reason>" when v cannot be pickled. The result is valid until
// the next encode.
func (c *Conn) encode(v any) ([]byte, error) {
	out, err := c.enc.Append(c.out[:0], v)
	if ee, ok := errors.AsType[*EncodeError](err); ok {
		out, err = c.enc.Append(c.out[:0], "ERROR: "+ee.Msg)
	}
	if err != nil {
		return nil, err
	}
	out = append(out, End...)
	c.out = out[:0]
	if cap(c.out) > keepBuffer {
		c.out = nil // do not pin one huge reply's buffer for the connection's life
	}
	return out, nil
}
