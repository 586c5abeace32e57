package protocol

import (
	"fmt"
	"math"
	"math/big"

	"github.com/f2b/f2b/pkg/pyval"
)

// Default decoder caps.
const (
	DefaultMaxDepth = 200
	DefaultMaxItems = 1 << 18
)

// DecodeOptions configure a Decoder. Zero values select the defaults.
type DecodeOptions struct {
	// MaxDepth caps container nesting in the decoded value and open MARKs.
	MaxDepth int
	// MaxItems caps values pushed and memo entries per message.
	MaxItems int
	// Reply accepts the globals a fail2ban server writes in replies
	// (builtins.str and exception classes); requests never need them.
	Reply bool
}

// Decoder unpickles messages. It keeps its scratch buffers between calls,
// so one Decoder per connection avoids most allocations; it is not safe
// for concurrent use.
type Decoder struct {
	opts   DecodeOptions
	data   []byte
	pos    int
	op     int // offset of the opcode being executed
	stack  []any
	marks  []int
	memo   []memoSlot
	sparse map[uint64]any
	nmemo  int
	pushed int
	share  bool   // the message is small: its strings share one copy, text
	text   string // that copy, made when the first string needs it

	interned map[string]any // short strings seen before, see pushStr
	spare    []any          // a list handed back by Conn.Recycle, for the next list of strings
}

// shareLimit is the largest message whose strings share one copy of it:
// one allocation instead of one per string, at the price of each kept
// string retaining at most this many bytes.
const shareLimit = 4096

// keepScratch is the largest stack or memo a Decoder keeps for reuse.
const keepScratch = 4096

// str returns b (a slice of the input) as a string.
func (d *Decoder) str(b []byte) string {
	if !d.share {
		return string(b)
	}
	if d.text == "" {
		d.text = string(d.data)
	}
	off := cap(d.data) - cap(b) // b aliases d.data
	return d.text[off : off+len(b)]
}

// Interning of short strings: a connection repeats its command words, its
// jail names and often its addresses from one request to the next, and
// pushing a value boxed before costs no copy and no allocation (decoding
// `set <jail> attempt <ip> <msg>` made one allocation per string).
const (
	internMaxLen  = 40 // longest string interned: an IPv6 address fits
	internEntries = 64 // strings kept per Decoder; later ones are not interned
)

// pushStr pushes b, a slice of the input, as a str.
func (d *Decoder) pushStr(b []byte) error {
	return d.push(d.strValue(b))
}

// strValue returns b, a slice of the input, as a boxed str, interned when
// it is short.
func (d *Decoder) strValue(b []byte) any {
	if len(b) > internMaxLen {
		return d.str(b)
	}
	if v, ok := d.interned[string(b)]; ok {
		return v
	}
	if len(d.interned) >= internEntries {
		return d.str(b)
	}
	if d.interned == nil {
		d.interned = make(map[string]any, internEntries)
	}
	s := string(b) // its own copy: an interned string outlives the message
	var v any = s
	d.interned[s] = v
	return v
}

type memoSlot struct {
	v  any
	ok bool
}

// NewDecoder returns a Decoder with the given caps.
func NewDecoder(opts DecodeOptions) *Decoder {
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	if opts.MaxItems <= 0 {
		opts.MaxItems = DefaultMaxItems
	}
	return &Decoder{opts: opts}
}

// Decode unpickles one request with the default caps, refusing globals and
// object construction. Errors are *LoadError.
func Decode(data []byte) (any, error) {
	return NewDecoder(DecodeOptions{}).Decode(data)
}

// DecodeReply unpickles one reply from a fail2ban server: like Decode, but
// builtins.str(x) yields x and exception classes yield *pyval.Exception.
func DecodeReply(data []byte) (any, error) {
	return NewDecoder(DecodeOptions{Reply: true}).Decode(data)
}

// Decode unpickles data, which must hold one pickle (trailing bytes after
// STOP are ignored, as pickle.loads ignores them).
func (d *Decoder) Decode(data []byte) (any, error) {
	if v, ok := d.decodeStrList(data); ok {
		return v, nil
	}
	return d.decode(data)
}

// decode runs the pickle machine on data: Decode for every message that
// decodeStrList does not take.
func (d *Decoder) decode(data []byte) (any, error) {
	d.reset(data)
	defer d.release()
	for {
		d.op = d.pos
		if d.pos >= len(d.data) {
			return nil, d.fail("Ran out of input")
		}
		code := d.data[d.pos]
		d.pos++
		if code == opStop {
			return d.stop()
		}
		if err := d.exec(code); err != nil {
			return nil, err
		}
	}
}

func (d *Decoder) reset(data []byte) {
	d.data, d.pos, d.op = data, 0, 0
	d.stack, d.marks, d.memo = d.stack[:0], d.marks[:0], d.memo[:0]
	d.sparse, d.nmemo, d.pushed, d.text = nil, 0, 0, ""
	d.share = len(data) <= shareLimit
}

// release drops references to decoded values so they can be collected.
func (d *Decoder) release() {
	clear(d.stack[:cap(d.stack)])
	clear(d.memo)
	d.data, d.sparse, d.text = nil, nil, ""
	if cap(d.stack) > keepScratch || cap(d.memo) > keepScratch {
		d.stack, d.memo, d.marks = nil, nil, nil
	}
}

func (d *Decoder) stop() (any, error) {
	v, err := d.pop()
	if err != nil {
		return nil, err
	}
	return d.finalize(v, 0)
}

func (d *Decoder) fail(msg string) error {
	return &LoadError{Msg: msg, Offset: d.op}
}

func (d *Decoder) failf(format string, args ...any) error {
	return d.fail(fmt.Sprintf(format, args...))
}

// truncated is CPython's error for an argument running past the input.
func (d *Decoder) truncated() error { return d.fail("pickle data was truncated") }

// take returns the next n bytes of input.
func (d *Decoder) take(n uint64) ([]byte, error) {
	if n > uint64(math.MaxInt64-d.pos) {
		return nil, d.fail("read would overflow (invalid bytecode)")
	}
	if n > uint64(len(d.data)-d.pos) {
		return nil, d.truncated()
	}
	b := d.data[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return b, nil
}

// line returns the input up to the next newline, without it.
func (d *Decoder) line() ([]byte, error) {
	rest := d.data[d.pos:]
	for i, c := range rest {
		if c == '\n' {
			d.pos += i + 1
			return rest[:i], nil
		}
	}
	return nil, d.truncated()
}

func (d *Decoder) fence() int {
	if n := len(d.marks); n > 0 {
		return d.marks[n-1]
	}
	return 0
}

func (d *Decoder) underflow() error {
	if len(d.marks) > 0 {
		return d.fail("unexpected MARK found")
	}
	return d.fail("unpickling stack underflow")
}

func (d *Decoder) push(v any) error {
	d.pushed++
	if d.pushed > d.opts.MaxItems {
		return d.failf("too many items (more than %d)", d.opts.MaxItems)
	}
	d.stack = append(d.stack, v)
	return nil
}

func (d *Decoder) pop() (any, error) {
	n := len(d.stack)
	if n <= d.fence() {
		return nil, d.underflow()
	}
	v := d.stack[n-1]
	d.stack = d.stack[:n-1]
	return v, nil
}

// marker pops the topmost MARK and returns its stack position.
func (d *Decoder) marker() (int, error) {
	n := len(d.marks)
	if n == 0 {
		return 0, d.fail("could not find MARK")
	}
	m := d.marks[n-1]
	d.marks = d.marks[:n-1]
	return m, nil
}

// popMark removes and returns the items above the topmost MARK. The slice
// aliases the stack and is valid until the next push.
func (d *Decoder) popMark() ([]any, error) {
	m, err := d.marker()
	if err != nil {
		return nil, err
	}
	items := d.stack[m:]
	d.stack = d.stack[:m]
	return items, nil
}

// typeName is Python's type(v).__name__ for values on the stack.
func typeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case pyval.Bytes:
		return "bytes"
	case *box:
		return x.kind.String()
	case *pyval.Exception:
		return x.Name
	case globalRef:
		return "type"
	}
	return fmt.Sprintf("%T", v)
}
