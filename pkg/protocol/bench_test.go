package protocol

import (
	"bytes"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

// BenchmarkAttempt decodes a `set <jail> attempt <ip> <msg>` request as
// the real client pickles it and encodes the (0, 1) reply: the per-request
// protocol cost of a web application reporting failures.
func BenchmarkAttempt(b *testing.B) {
	req := readHex(b, "set_attempt.request.hex")
	req = req[:bytes.Index(req, []byte(End))]
	dec := NewDecoder(DecodeOptions{})
	enc := NewEncoder(EncodeOptions{})
	reply := pyval.Tuple{int64(0), int64(1)}
	var out []byte
	b.ReportAllocs()
	for b.Loop() {
		v, err := dec.Decode(req)
		if err != nil || len(v.([]any)) != 5 {
			b.Fatal(err)
		}
		out, err = enc.Append(out[:0], reply)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeStatus encodes a jail status reply with 100 banned IPs.
func BenchmarkEncodeStatus(b *testing.B) {
	ips := make([]any, 100)
	for i := range ips {
		ips[i] = IPAddr("192.0.2." + string(rune('0'+i%10)))
	}
	v := pyval.Tuple{int64(0), []any{
		pyval.Tuple{"Filter", []any{pyval.Tuple{"Currently failed", int64(1)}}},
		pyval.Tuple{"Actions", []any{pyval.Tuple{"Banned IP list", ips}}},
	}}
	enc := NewEncoder(EncodeOptions{})
	var out []byte
	b.ReportAllocs()
	for b.Loop() {
		out, _ = enc.Append(out[:0], v)
	}
}

func BenchmarkDecodeAttempt(b *testing.B) {
	req := readHex(b, "set_attempt.request.hex")
	req = req[:bytes.Index(req, []byte(End))]
	dec := NewDecoder(DecodeOptions{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dec.Decode(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeResult(b *testing.B) {
	enc := NewEncoder(EncodeOptions{})
	reply := pyval.Tuple{int64(0), int64(1)}
	var out []byte
	b.ReportAllocs()
	for b.Loop() {
		out, _ = enc.Append(out[:0], reply)
	}
}
