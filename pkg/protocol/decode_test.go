package protocol

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

// decodeCases are hand-written pickles with their values; they also seed
// the fuzz targets.
var decodeCases = []struct {
	name    string
	in      string
	want    any
	wantErr string
}{
	{name: "proto0 unicode latin1", in: "V\xe9\\u20ac\\U0001d11e\n.", want: "é€𝄞"},
	{name: "proto0 escaped backslash u", in: "V\\\\u0041\n.", want: `\\u0041`},
	{name: "proto0 string escapes", in: "S'a\\n\\'\\x41\\101'\n.", want: "a\n'AA"},
	{name: "proto0 int bools", in: "(I01\nI00\nI7\nL12345678901234567890L\nt.", want: pyval.Tuple{true, false, int64(7), bigInt("12345678901234567890")}},
	{name: "proto0 float", in: "F1.5\n.", want: 1.5},
	{name: "proto0 memo", in: "(lp0\nVa\np1\nag1\na.", want: []any{"a", "a"}},
	{name: "long1 negative", in: "\x8a\x02\x00\xff.", want: int64(-256)},
	{name: "long1 big", in: "\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01.", want: bigInt("18446744073709551616")},
	{name: "long1 empty", in: "\x8a\x00.", want: int64(0)},
	{name: "dict duplicate keys", in: "}(K\x01Va\nG?\xf0\x00\x00\x00\x00\x00\x00Vb\n\x88Vc\nu.", want: pyval.Dict{{Key: int64(1), Value: "c"}}},
	{name: "set dedupe", in: "\x8f(K\x01K\x01K\x02\x90.", want: pyval.Set{int64(1), int64(2)}},
	{name: "frozenset", in: "(K\x01K\x02\x91.", want: pyval.FrozenSet{int64(1), int64(2)}},
	{name: "tuple key", in: "}K\x01K\x02\x86Ns.", want: pyval.Dict{{Key: pyval.Tuple{int64(1), int64(2)}, Value: nil}}},
	{name: "bytes", in: "C\x02\x00\xff.", want: pyval.Bytes("\x00\xff")},
	{name: "shared list mutated later", in: "]\x94h\x00\x85\x94h\x00K\x01a0.", want: pyval.Tuple{[]any{int64(1)}}},
	{name: "pop mark", in: "N(K\x011.", want: nil},
	{name: "pop after mark", in: "N(0.", want: nil},
	{name: "trailing bytes ignored", in: "N.garbage", want: nil},
	{name: "recursive list", in: "]\x94h\x00a.", wantErr: "recursive structures are not supported"},
	{name: "global", in: "cos\nsystem\n.", wantErr: "global 'os.system' is forbidden"},
	{name: "stack global", in: "\x8c\x02os\x8c\x06system\x93.", wantErr: "opcode STACK_GLOBAL is forbidden"},
	{name: "reduce", in: "NN)R.", wantErr: "opcode REDUCE is forbidden"},
	{name: "build", in: "N}b.", wantErr: "opcode BUILD is forbidden"},
	{name: "inst", in: "(isubprocess\nPopen\n.", wantErr: "opcode INST is forbidden"},
	{name: "obj", in: "(No.", wantErr: "opcode OBJ is forbidden"},
	{name: "newobj", in: "N)\x81.", wantErr: "opcode NEWOBJ is forbidden"},
	{name: "ext1", in: "\x82\x01.", wantErr: "opcode EXT1 is forbidden"},
	{name: "persid", in: "P1\n.", wantErr: "opcode PERSID is forbidden"},
	{name: "next buffer", in: "\x97.", wantErr: "opcode NEXT_BUFFER is forbidden"},
}

func bigInt(s string) any {
	v, _ := parseInt(s, 10)
	return v
}

func TestDecode(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode([]byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Decode error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !pyval.Equal(got, tc.want) || pyval.Repr(got) != pyval.Repr(tc.want) {
				t.Fatalf("Decode = %s, %v; want %s", pyval.Repr(got), err, pyval.Repr(tc.want))
			}
		})
	}
}

func TestDecode_Limits(t *testing.T) {
	deepLists := strings.Repeat("]", 300) + strings.Repeat("a", 299) + "."
	deepTuples := "N" + strings.Repeat("\x85", 300) + "."
	// Each level shares the previous one twice: 2^60 leaves if copied.
	var dag strings.Builder
	dag.WriteString("N")
	for range 60 {
		dag.WriteString("2\x86") // DUP, TUPLE2
	}
	dag.WriteString(".")
	tests := []struct {
		name    string
		in      string
		opts    DecodeOptions
		wantErr string
	}{
		{name: "deep lists", in: deepLists, wantErr: "nested deeper than 200"},
		{name: "deep tuples", in: deepTuples, wantErr: "nested deeper than 200"},
		{name: "many marks", in: strings.Repeat("(", 300), wantErr: "nested deeper than 200"},
		{name: "too many items", in: strings.Repeat("N", 2000) + ".", opts: DecodeOptions{MaxItems: 1000}, wantErr: "too many items"},
		{name: "too many memo", in: "N" + strings.Repeat("\x94", 2000) + ".", opts: DecodeOptions{MaxItems: 1000}, wantErr: "too many memo"},
		{name: "sparse memo", in: "Nr\xff\xff\xff\xffj\xff\xff\xff\xff.", wantErr: ""},
		{name: "shared dag", in: dag.String(), opts: DecodeOptions{MaxDepth: 100}, wantErr: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewDecoder(tc.opts).Decode([]byte(tc.in))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Decode error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestDecodeReply(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    any
		wantErr string
	}{
		{name: "str global", in: "cbuiltins\nstr\n(V1.2.3.4\ntR.", want: "1.2.3.4"},
		{name: "exception with state", in: "\x8c\x08builtins\x8c\x0aValueError\x93\x8c\x01x\x85R}b.", want: pyval.NewException("ValueError", "x")},
		{name: "fail2ban exception", in: "cfail2ban.exceptions\nUnknownJailException\n(Vx\ntR.", want: &pyval.Exception{Module: "fail2ban.exceptions", Name: "UnknownJailException", Args: []any{"x"}}},
		{name: "os.system refused", in: "cos\nsystem\n(Vid\ntR.", wantErr: "global 'os.system' is forbidden"},
		{name: "class as value", in: "cbuiltins\nValueError\n.", wantErr: "cannot use class"},
		{name: "build on list", in: "]}b.", wantErr: "BUILD is only accepted on exceptions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeReply([]byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("DecodeReply error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !pyval.Equal(got, tc.want) {
				t.Fatalf("DecodeReply = %s, %v; want %s", pyval.Repr(got), err, pyval.Repr(tc.want))
			}
		})
	}
}

// TestDecode_HugeMessages feeds 64 MiB pickles: they must fail on a cap
// after bounded work and allocation.
func TestDecode_HugeMessages(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 64 MiB inputs")
	}
	const size = 64 << 20
	tests := []struct {
		name    string
		in      []byte
		wantErr string
	}{
		{name: "empty lists", in: bytes.Repeat([]byte("]"), size), wantErr: "too many items"},
		{name: "marks", in: bytes.Repeat([]byte("("), size), wantErr: "nested deeper"},
		{name: "one huge string", in: append([]byte("X\xff\xff\xff\x04"), make([]byte, size)...), wantErr: "pickle data was truncated"},
		{name: "memo puts", in: append([]byte("N"), bytes.Repeat([]byte("\x94"), size)...), wantErr: "too many memo entries"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Decode(tc.in)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Decode error = %v, want %q", err, tc.wantErr)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 128<<20 {
				t.Fatalf("Decode allocated %d MiB", alloc>>20)
			}
		})
	}
}

// TestDecoder_Intern decodes requests with one Decoder, as a connection
// does: repeated short strings come back equal, reuse the boxed value
// instead of allocating, never alias the message buffer, and the table
// stops growing at its bound.
func TestDecoder_Intern(t *testing.T) {
	enc := NewEncoder(EncodeOptions{})
	pickle := func(v any) []byte {
		b, err := enc.Append(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	long := strings.Repeat("x", internMaxLen+1)
	req := []any{"set", "sshd", "attempt", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", long}
	msg := pickle(req)
	dec := NewDecoder(DecodeOptions{})
	for range 3 {
		got, err := dec.Decode(msg)
		if err != nil {
			t.Fatal(err)
		}
		if pyval.Repr(got) != pyval.Repr(req) {
			t.Fatalf("Decode = %s, want %s", pyval.Repr(got), pyval.Repr(req))
		}
	}
	// Overwrite the message: interned strings must be copies.
	first, _ := dec.Decode(msg)
	clear(msg)
	if pyval.Repr(first) != pyval.Repr(req) {
		t.Fatalf("decoded value changed with the buffer: %s", pyval.Repr(first))
	}
	msg = pickle(req)
	// Once the short strings are known only the long string (its copy
	// and its box) and the list (box, items, result) allocate; each short
	// string cost one more before interning.
	if allocs := testing.AllocsPerRun(100, func() { dec.Decode(msg) }); allocs > 5 {
		t.Errorf("%v allocations per decode, want at most 5", allocs)
	}
	// Unique strings fill the table up to its bound and no further, and
	// still decode correctly past it.
	for i := range 2 * internEntries {
		s := fmt.Sprintf("unique %d", i)
		got, err := dec.Decode(pickle(s))
		if err != nil || got != s {
			t.Fatalf("Decode(%q) = %v, %v", s, got, err)
		}
	}
	if n := len(dec.interned); n != internEntries {
		t.Errorf("interned %d strings, want the bound %d", n, internEntries)
	}
}
