package protocol

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

func addSeeds(f *testing.F) {
	for _, tc := range decodeCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range malformedCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range vectorCases {
		req := readHex(f, tc.name+".request.hex")
		f.Add(req[:bytes.Index(req, []byte(End))])
		rep := readHex(f, tc.name+".reply.hex")
		f.Add(rep[:len(rep)-len(End)])
	}
}

// FuzzDecode checks that no input panics or escapes the caps, and that
// every error is a *LoadError.
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, reply := range []bool{false, true} {
			d := NewDecoder(DecodeOptions{Reply: reply, MaxItems: 1 << 16})
			if _, err := d.Decode(data); err != nil {
				if _, ok := err.(*LoadError); !ok {
					t.Fatalf("Decode error %T %v is not a *LoadError", err, err)
				}
			}
		}
	})
}

// FuzzRoundtrip checks that whatever decodes re-encodes and decodes to an
// equal value.
func FuzzRoundtrip(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := NewDecoder(DecodeOptions{Reply: true, MaxItems: 1 << 16}).Decode(data)
		if err != nil {
			return
		}
		enc, err := Encode(v)
		if err != nil {
			t.Fatalf("Encode(%s): %v", pyval.Repr(v), err)
		}
		back, err := DecodeReply(enc)
		if err != nil {
			t.Fatalf("DecodeReply(Encode(%s)): %v", pyval.Repr(v), err)
		}
		if pyval.Repr(back) != pyval.Repr(v) {
			t.Fatalf("roundtrip %s != %s", pyval.Repr(back), pyval.Repr(v))
		}
	})
}

// chunkReader returns data in chunks of the given sizes (cycled).
type chunkReader struct {
	data  []byte
	sizes []byte
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(c.sizes) > 0 {
		n = int(c.sizes[c.i%len(c.sizes)]) + 1
		c.i++
	}
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// FuzzReader checks framing against a plain split on End for any chunking.
func FuzzReader(f *testing.F) {
	f.Add([]byte("a"+End+"b"+End), []byte{0, 3})
	f.Add([]byte("x<F2B_END_COMM"+"AND>"+Close+End+"y"), []byte{16})
	f.Add(bytes.Repeat([]byte("z"), 100), []byte{7})
	f.Fuzz(func(t *testing.T, data, sizes []byte) {
		const max = 64
		want := bytes.Split(data, []byte(End))
		r := NewReader(&chunkReader{data: data, sizes: sizes}, ReaderOptions{MaxMessage: max})
		for i := 0; ; i++ {
			msg, err := r.Next()
			switch {
			case err == nil:
				if i >= len(want)-1 || !bytes.Equal(msg, want[i]) {
					t.Fatalf("message %d = %q, want %q", i, msg, want[i])
				}
				continue
			case err == ErrCloseRequested:
				if string(want[i]) != Close {
					t.Fatalf("close at message %d (%q)", i, want[i])
				}
			case errors.Is(err, ErrMessageTooLarge):
				if len(want[i]) <= max {
					t.Fatalf("too large at message %d of %d bytes", i, len(want[i]))
				}
			case err == io.EOF:
				if i != len(want)-1 || len(want[i]) != 0 {
					t.Fatalf("EOF at message %d with %q left", i, want[i])
				}
			case err == io.ErrUnexpectedEOF:
				if i != len(want)-1 || len(want[i]) == 0 {
					t.Fatalf("unexpected EOF at message %d", i)
				}
			default:
				t.Fatalf("error %v", err)
			}
			return
		}
	})
}

// FuzzDecoderReuse checks that a Decoder reused across messages, as a
// connection reuses it (interned strings, scratch buffers), decodes each
// one as a fresh Decoder does, after successes and failures alike, and
// that decoded values never alias the message buffer.
func FuzzDecoderReuse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		show := func(v any, err error) string {
			if err != nil {
				return "error: " + err.Error()
			}
			if budget := 1 << 16; !small(v, &budget) {
				// Shared references can expand to billions of items:
				// compare the type only rather than print them.
				return "large " + typeName(v)
			}
			return pyval.Repr(v)
		}
		opts := DecodeOptions{MaxItems: 1 << 16}
		want := show(NewDecoder(opts).Decode(data))
		half := data[:len(data)/2]
		wantHalf := show(NewDecoder(opts).Decode(half))
		d := NewDecoder(opts)
		buf := bytes.Clone(data)
		v, err := d.Decode(buf)
		first := show(v, err)
		if first != want {
			t.Fatalf("first decode %s, fresh decoder %s", first, want)
		}
		if got := show(d.Decode(half)); got != wantHalf {
			t.Fatalf("after a decode, half the message gives %s, fresh decoder %s", got, wantHalf)
		}
		if got := show(d.Decode(data)); got != want {
			t.Fatalf("decoding again gives %s, fresh decoder %s", got, want)
		}
		clear(buf)
		if got := show(v, err); got != first {
			t.Fatalf("value changed with its message buffer: %s, was %s", got, first)
		}
	})
}

// small reports whether v, walked as a tree (shared values counted each
// time), has at most *budget items and string bytes, spending from it.
func small(v any, budget *int) bool {
	*budget--
	var items []any
	switch x := v.(type) {
	case string:
		*budget -= len(x)
	case pyval.Bytes:
		*budget -= len(x)
	case []any:
		items = x
	case pyval.Tuple:
		items = x
	case pyval.Set:
		items = x
	case pyval.FrozenSet:
		items = x
	case pyval.Dict:
		for _, it := range x {
			if !small(it.Key, budget) || !small(it.Value, budget) {
				return false
			}
		}
	}
	for _, it := range items {
		if !small(it, budget) {
			return false
		}
	}
	return *budget >= 0
}
