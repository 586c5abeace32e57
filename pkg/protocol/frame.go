package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Markers of fail2ban's framing.
const (
	// End terminates every message in both directions.
	End = "<F2B_END_COMMAND>"
	// Close is the message a client sends (followed by End) to end a connection.
	Close = "<F2B_CLOSE_COMMAND>"
)

// DefaultMaxMessage is the default cap on one message (without End).
const DefaultMaxMessage = 32 << 20

// Sentinel errors of the framing layer.
var (
	// ErrCloseRequested is returned by Reader.Next when the peer sent the
	// close marker: the server flushes its output and closes the connection.
	ErrCloseRequested = errors.New("protocol: peer requested close")
	// ErrMessageTooLarge is returned when a message exceeds the cap; the
	// stream cannot be resynchronised, so the caller should reply and close.
	ErrMessageTooLarge = errors.New("protocol: message too large")
)

// ReaderOptions configure a Reader.
type ReaderOptions struct {
	// MaxMessage caps one message's size in bytes; 0 means DefaultMaxMessage.
	MaxMessage int
}

// Reader splits a byte stream into messages on End, like asynchat's
// set_terminator: no length prefix and no attempt to be clever.
type Reader struct {
	r       io.Reader
	max     int
	buf     []byte // unconsumed bytes are buf[start:]
	start   int
	scanned int // bytes of buf[start:] already searched for End
	err     error
}

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader, opts ReaderOptions) *Reader {
	max := opts.MaxMessage
	if max <= 0 {
		max = DefaultMaxMessage
	}
	return &Reader{r: r, max: max}
}

// Next returns the next message without its End marker. The slice is valid
// until the next call. It returns ErrCloseRequested for the close marker,
// io.EOF when the stream ends between messages, io.ErrUnexpectedEOF when it
// ends inside one, and ErrMessageTooLarge (wrapped) past the size cap.
func (r *Reader) Next() ([]byte, error) {
	for {
		if msg, ok := r.cut(); ok {
			if string(msg) == Close {
				return nil, ErrCloseRequested
			}
			if len(msg) > r.max {
				return nil, fmt.Errorf("reading message of %d bytes (limit %d): %w", len(msg), r.max, ErrMessageTooLarge)
			}
			return msg, nil
		}
		// The tail may hold the start of an End marker.
		if n := len(r.buf) - r.start - (len(End) - 1); n > r.max {
			r.buf, r.start, r.scanned = r.buf[:0], 0, 0
			r.err = fmt.Errorf("reading message of more than %d bytes: %w", r.max, ErrMessageTooLarge)
			return nil, r.err
		}
		if r.err != nil {
			return nil, r.err
		}
		if err := r.fill(); err != nil {
			r.err = r.eofError(err)
		}
	}
}

// cut returns the first complete message in the buffer, if any.
func (r *Reader) cut() ([]byte, bool) {
	pending := r.buf[r.start:]
	from := max(r.scanned-len(End)+1, 0)
	i := bytes.Index(pending[from:], endBytes)
	if i < 0 {
		r.scanned = len(pending)
		return nil, false
	}
	i += from
	msg := pending[:i:i]
	r.start += i + len(End)
	r.scanned = 0
	return msg, true
}

// fill reads more bytes, compacting or growing the buffer as needed.
func (r *Reader) fill() error {
	if r.start > 0 && r.start == len(r.buf) {
		r.buf, r.start = r.buf[:0], 0
		if cap(r.buf) > keepBuffer {
			r.buf = nil // release the buffer of a past huge message
		}
	}
	if len(r.buf) == cap(r.buf) {
		r.grow()
	}
	n, err := r.r.Read(r.buf[len(r.buf):cap(r.buf)])
	r.buf = r.buf[:len(r.buf)+n]
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

func (r *Reader) grow() {
	pending := len(r.buf) - r.start
	// Never beyond what one message of the maximum size needs: doubling
	// past it held ~96 MiB for a 64 MiB message that is refused anyway.
	size := min(max(4096, 2*pending), max(r.max+len(End), pending+4096))
	if r.start > 0 && pending <= cap(r.buf)/2 {
		size = cap(r.buf)
	}
	nb := make([]byte, pending, size)
	copy(nb, r.buf[r.start:])
	r.buf, r.start = nb, 0
}

func (r *Reader) eofError(err error) error {
	if err == io.EOF && len(r.buf) > r.start {
		return io.ErrUnexpectedEOF
	}
	return err
}

// AppendMessage appends payload followed by End to dst.
func AppendMessage(dst, payload []byte) []byte {
	dst = append(dst, payload...)
	return append(dst, End...)
}

// WriteMessage writes payload followed by End in one Write call.
func WriteMessage(w io.Writer, payload []byte) error {
	buf := make([]byte, 0, len(payload)+len(End))
	_, err := w.Write(AppendMessage(buf, payload))
	return err
}

// CloseMessage is the byte sequence a client sends to end a connection.
var CloseMessage = []byte(Close + End)

var endBytes = []byte(End)
