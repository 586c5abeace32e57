package protocol

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"

	"github.com/f2b/f2b/pkg/pyval"
)

// CPython's pickler constants.
const (
	frameHeaderSize = 9
	frameSizeMin    = 4
	frameSizeTarget = 64 * 1024
	batchSize       = 1000
	// DefaultMaxEncodeDepth bounds recursion on self-referencing Go values.
	DefaultMaxEncodeDepth = 1000
)

// EncodeOptions configure an Encoder.
type EncodeOptions struct {
	// Protocol is 4 or 5 (0 means 5, what fail2ban on Python ≥ 3.8 sends;
	// 4 is readable by Python 3.4–3.7 and differs only in the PROTO byte).
	Protocol int
}

// Encoder pickles values exactly as CPython's C pickler does. It reuses its
// buffer between calls and is not safe for concurrent use.
type Encoder struct {
	proto      byte
	buf        []byte
	frameStart int // -1 when no frame is open
	framing    bool
	nmemo      int
	globals    []memoRef // classes written in this pickle
	modules    []memoRef // module-name strings written for them
	depth      int
}

// NewEncoder returns an Encoder.
func NewEncoder(opts EncodeOptions) *Encoder {
	p := byte(highestProtocol)
	if opts.Protocol == 4 {
		p = 4
	}
	return &Encoder{proto: p}
}

// Encode pickles v with protocol 5 into a new slice.
func Encode(v any) ([]byte, error) {
	b, err := NewEncoder(EncodeOptions{}).Append(nil, v)
	return b, err
}

// Append pickles v and appends the bytes to dst. On error dst is returned
// unchanged along with an *EncodeError.
func (e *Encoder) Append(dst []byte, v any) ([]byte, error) {
	e.buf, e.frameStart, e.framing, e.nmemo, e.depth = dst, -1, false, 0, 0
	e.globals, e.modules = e.globals[:0], e.modules[:0]
	e.write(opProto, e.proto)
	e.framing = true
	if err := e.save(v); err != nil {
		e.buf = nil
		return dst, err
	}
	e.write(opStop)
	e.commitFrame()
	e.framing = false
	out := e.buf
	e.buf = nil
	return out, nil
}

// memoRef is a memoized class (module, name) or module string (name "").
type memoRef struct {
	module, name string
	idx          int
}

func findRef(refs []memoRef, module, name string) (int, bool) {
	for _, r := range refs {
		if r.module == module && r.name == name {
			return r.idx, true
		}
	}
	return 0, false
}

// reserve opens a frame if framing is on and none is open.
func (e *Encoder) reserve() {
	if e.framing && e.frameStart < 0 {
		e.frameStart = len(e.buf)
		e.buf = append(e.buf, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe)
	}
}

func (e *Encoder) write(p ...byte) {
	e.reserve()
	e.buf = append(e.buf, p...)
}

func (e *Encoder) writeString(s string) {
	e.reserve()
	e.buf = append(e.buf, s...)
}

// commitFrame writes the open frame's header, or removes it when the frame
// is too small to be worth one.
func (e *Encoder) commitFrame() {
	if e.frameStart < 0 {
		return
	}
	n := len(e.buf) - e.frameStart - frameHeaderSize
	if n >= frameSizeMin {
		e.buf[e.frameStart] = opFrame
		binary.LittleEndian.PutUint64(e.buf[e.frameStart+1:], uint64(n))
	} else {
		copy(e.buf[e.frameStart:], e.buf[e.frameStart+frameHeaderSize:])
		e.buf = e.buf[:len(e.buf)-frameHeaderSize]
	}
	e.frameStart = -1
}

// boundary commits the frame once it reaches the target size.
func (e *Encoder) boundary() {
	if e.framing && e.frameStart >= 0 && len(e.buf)-e.frameStart-frameHeaderSize >= frameSizeTarget {
		e.commitFrame()
	}
}

func (e *Encoder) memoize() {
	e.write(opMemoize)
	e.nmemo++
}

func (e *Encoder) get(idx int) {
	if idx < 256 {
		e.write(opBinGet, byte(idx))
		return
	}
	var b [5]byte
	b[0] = opLongBinGet
	binary.LittleEndian.PutUint32(b[1:], uint32(idx))
	e.write(b[:]...)
}

func (e *Encoder) save(v any) error {
	e.boundary()
	switch x := v.(type) {
	case nil:
		e.write(opNone)
	case bool:
		e.saveBool(x)
	case int:
		e.saveInt(int64(x))
	case int64:
		e.saveInt(x)
	case int32:
		e.saveInt(int64(x))
	case *big.Int:
		e.saveBig(x)
	case float64:
		var b [9]byte
		b[0] = opBinFloat
		binary.BigEndian.PutUint64(b[1:], math.Float64bits(x))
		e.write(b[:]...)
	case string:
		e.saveStr(x)
	case IPAddr:
		e.saveIPAddr(x)
	case pyval.Bytes:
		e.saveBytes(x)
	default:
		return e.saveContainer(v)
	}
	return nil
}

func (e *Encoder) saveContainer(v any) error {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > DefaultMaxEncodeDepth {
		return &EncodeError{Msg: "maximum recursion depth exceeded while pickling an object"}
	}
	switch x := v.(type) {
	case []any:
		return e.saveList(x)
	case []string:
		return e.saveStrings(x)
	case pyval.Tuple:
		return e.saveTuple(x)
	case pyval.Dict:
		return e.saveDict(x)
	case pyval.Set:
		return e.saveSet(x)
	case pyval.FrozenSet:
		return e.saveFrozenSet(x)
	case *pyval.Exception:
		return e.saveException(x)
	}
	return &EncodeError{Msg: fmt.Sprintf("cannot pickle '%T' object", v)}
}

func (e *Encoder) saveBool(b bool) {
	if b {
		e.write(opNewTrue)
	} else {
		e.write(opNewFalse)
	}
}
