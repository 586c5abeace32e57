package protocol

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

// strListCases are pickles of flat lists of str in the forms CPython,
// PHP and our encoder write, which decodeStrList must take.
var strListCases = []struct {
	name string
	in   string
	want []any
}{
	{name: "protocol 5 with frame and memoize (pickle.dumps)",
		in:   "\x80\x05\x95\x19\x00\x00\x00\x00\x00\x00\x00]\x94(\x8c\x03set\x94\x8c\x01j\x94\x8c\x07attempt\x94e.",
		want: []any{"set", "j", "attempt"}},
	{name: "protocol 2 with BINPUT",
		in:   "\x80\x02]q\x00(X\x03\x00\x00\x00setq\x01X\x02\x00\x00\x00\xc3\xa9q\x02e.",
		want: []any{"set", "é"}},
	{name: "protocol 2 without memo (PHP)",
		in:   "\x80\x02](X\x04\x00\x00\x00pingX\x00\x00\x00\x00e.",
		want: []any{"ping", ""}},
	{name: "one item",
		in:   "\x80\x04](\x8c\x04pinge.",
		want: []any{"ping"}},
	{name: "long string, not interned",
		in:   "\x80\x04](\x8c\x2d" + strings.Repeat("x", 45) + "e.",
		want: []any{strings.Repeat("x", 45)}},
}

// notStrListCases must be left to the general decoder, most of them
// because it refuses them or decodes them to something else.
var notStrListCases = []struct {
	name string
	in   string
}{
	{name: "empty", in: ""},
	{name: "protocol 1", in: "](X\x01\x00\x00\x00ae."},
	{name: "protocol 0 PROTO", in: "\x80\x00](X\x01\x00\x00\x00ae."},
	{name: "protocol 6", in: "\x80\x06](X\x01\x00\x00\x00ae."},
	{name: "empty list", in: "\x80\x04](e."},
	{name: "int item", in: "\x80\x04](\x8c\x01aK\x01e."},
	{name: "nested list", in: "\x80\x04](\x8c\x01a](e\x94e."},
	{name: "bytes item", in: "\x80\x04](C\x01ae."},
	{name: "invalid UTF-8", in: "\x80\x04](\x8c\x01\xffe."},
	{name: "truncated UTF-8", in: "\x80\x04](\x8c\x02a\xc3e."},
	{name: "frame longer than data", in: "\x80\x04\x95\xff\x00\x00\x00\x00\x00\x00\x00](\x8c\x01ae."},
	{name: "short frame", in: "\x80\x04\x95\x01\x00"},
	{name: "string past the end", in: "\x80\x04](\x8c\x09ae."},
	{name: "BINUNICODE past the end", in: "\x80\x04](X\xff\xff\xff\x7fae."},
	{name: "no STOP", in: "\x80\x04](\x8c\x01ae"},
	{name: "bytes after STOP", in: "\x80\x04](\x8c\x01ae.x"},
	{name: "APPEND, not APPENDS", in: "\x80\x04]\x8c\x01aa."},
	{name: "no MARK", in: "\x80\x04]\x8c\x01ae."},
	{name: "dangling BINPUT", in: "\x80\x04](\x8c\x01aq"},
	{name: "GET of the list", in: "\x80\x04]\x94(\x8c\x01ah\x00e."},
	{name: "tuple", in: "\x80\x04(\x8c\x01at."},
}

func TestDecodeStrList(t *testing.T) {
	for _, tt := range strListCases {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDecoder(DecodeOptions{})
			got, ok := d.decodeStrList([]byte(tt.in))
			if !ok {
				t.Fatal("decodeStrList refused it")
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decodeStrList = %s, want %s", pyval.Repr(got), pyval.Repr(tt.want))
			}
			general, err := NewDecoder(DecodeOptions{}).decode([]byte(tt.in))
			if err != nil || !reflect.DeepEqual(got, general) {
				t.Errorf("general decoder: %s, %v; decodeStrList: %s", pyval.Repr(general), err, pyval.Repr(got))
			}
		})
	}
	for _, tt := range notStrListCases {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDecoder(DecodeOptions{})
			if v, ok := d.decodeStrList([]byte(tt.in)); ok {
				t.Fatalf("decodeStrList took it: %s", pyval.Repr(v))
			}
			// Decode still answers as the general decoder does.
			want, werr := NewDecoder(DecodeOptions{}).decode([]byte(tt.in))
			got, err := d.Decode([]byte(tt.in))
			if !reflect.DeepEqual(got, want) || errString(err) != errString(werr) {
				t.Errorf("Decode = %s, %v; general decoder %s, %v", pyval.Repr(got), err, pyval.Repr(want), werr)
			}
		})
	}
}

// The caps still hold: a list with more items than MaxItems is refused
// with the general decoder's error.
func TestDecodeStrList_Caps(t *testing.T) {
	in := []byte("\x80\x04](\x8c\x01a\x8c\x01b\x8c\x01ce.")
	for _, max := range []int{1, 2, 3, 4} {
		d := NewDecoder(DecodeOptions{MaxItems: max})
		_, err := d.Decode(in)
		_, werr := NewDecoder(DecodeOptions{MaxItems: max}).decode(in)
		if errString(err) != errString(werr) {
			t.Errorf("MaxItems %d: Decode error %v, general decoder %v", max, err, werr)
		}
		if max < 4 && err == nil {
			t.Errorf("MaxItems %d: 3 items accepted", max)
		}
	}
}

// Every request vector that is a flat list of str takes the fast path,
// with the general decoder's result.
func TestDecodeStrList_Vectors(t *testing.T) {
	taken := 0
	for _, tc := range vectorCases {
		req := readHex(t, tc.name+".request.hex")
		req = req[:bytes.Index(req, []byte(End))]
		want, werr := NewDecoder(DecodeOptions{}).decode(req)
		got, ok := NewDecoder(DecodeOptions{}).decodeStrList(req)
		if !ok {
			continue
		}
		taken++
		if werr != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decodeStrList %s, general decoder %s, %v", tc.name, pyval.Repr(got), pyval.Repr(want), werr)
		}
	}
	if taken == 0 {
		t.Error("no request vector took the fast path")
	}
}

// Decoders are reused per connection: a message through the fast path
// leaves nothing behind that changes the next one's result.
func TestDecodeStrList_Reuse(t *testing.T) {
	d := NewDecoder(DecodeOptions{})
	enc := NewEncoder(EncodeOptions{})
	for i, v := range []any{
		[]any{"set", "sshd", "attempt", "192.0.2.1", "m"},
		[]any{"status"},
		[]any{"set", "sshd", "attempt", "192.0.2.1", strings.Repeat("long ", 20)},
		pyval.Tuple{"ping"},
		[]any{"set", "sshd", "attempt", "192.0.2.9", "m"},
	} {
		msg, err := enc.Append(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.Decode(msg)
		if err != nil || !reflect.DeepEqual(got, v) {
			t.Errorf("message %d: Decode = %s, %v; want %s", i, pyval.Repr(got), err, pyval.Repr(v))
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzDecodeStrList checks that whenever decodeStrList takes a message,
// the general decoder decodes it to the same value, also under small caps.
func FuzzDecodeStrList(f *testing.F) {
	addSeeds(f)
	for _, tc := range strListCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range notStrListCases {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, max := range []int{0, 3} {
			got, ok := NewDecoder(DecodeOptions{MaxItems: max}).decodeStrList(data)
			if !ok {
				continue
			}
			want, err := NewDecoder(DecodeOptions{MaxItems: max}).decode(data)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("MaxItems %d: decodeStrList %s, general decoder %s, %v", max, pyval.Repr(got), pyval.Repr(want), err)
			}
		}
	})
}
