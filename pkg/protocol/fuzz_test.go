package protocol

import (
	"bytes"
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
