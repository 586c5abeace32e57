package protocol

import (
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

// encodeCases are reply-like values beyond the recorded vectors.
func encodeCases() []any {
	huge, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	return []any{
		nil, true, false, int64(0), int64(255), int64(256), int64(65535), int64(65536),
		int64(-1), int64(-1 << 31), int64(1 << 31), int64(-1<<31 - 1), int64(1<<63 - 1), int64(-1 << 63),
		huge, 1.5, -0.0, "", "é€𝄞", strings.Repeat("x", 300), pyval.Bytes("\x00\xff"),
		pyval.Tuple{}, pyval.Tuple{int64(1), int64(2), int64(3), int64(4)},
		pyval.Dict{}, pyval.Set{int64(1)}, pyval.FrozenSet{int64(2)}, []string{"a", "b"},
		&pyval.Exception{Module: "builtins", Name: "IndexError", Args: []any{"list index out of range"}},
		&pyval.Exception{Module: "builtins", Name: "KeyError", Args: []any{int64(0)}},
		&pyval.Exception{Module: "builtins", Name: "FileNotFoundError", Args: []any{int64(2), "No such file or directory", "/x"}},
		&pyval.Exception{Module: "builtins", Name: "RuntimeError"},
		pyval.Tuple{int64(1), &pyval.Exception{Module: "fail2ban.exceptions", Name: "DuplicateJailException", Args: []any{"sshd"}}},
		[]any{IPAddr("192.0.2.1"), &pyval.Exception{Module: "builtins", Name: "ValueError", Args: []any{"x"}}, IPAddr("10.0.0.0/8")},
	}
}

func TestEncode_Errors(t *testing.T) {
	self := make([]any, 1)
	self[0] = self
	tests := []struct {
		name    string
		in      any
		wantErr string
	}{
		{name: "unknown type", in: struct{}{}, wantErr: "cannot pickle 'struct {}' object"},
		{name: "nested unknown", in: []any{"a", map[string]int{}}, wantErr: "cannot pickle 'map[string]int' object"},
		{name: "recursive", in: self, wantErr: "maximum recursion depth"},
		{name: "anonymous exception", in: &pyval.Exception{}, wantErr: "without module"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encode(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Encode error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestEncode_Protocol4(t *testing.T) {
	b, err := NewEncoder(EncodeOptions{Protocol: 4}).Append(nil, pyval.Tuple{int64(0), "pong"})
	if err != nil {
		t.Fatal(err)
	}
	want := "\x80\x04\x95\x0c\x00\x00\x00\x00\x00\x00\x00K\x00\x8c\x04pong\x94\x86\x94."
	if string(b) != want {
		t.Fatalf("got %q, want %q", b, want)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestEncode_Golden pins our bytes for encodeCases (CPython loads them:
// TestOracle_PythonLoadsOurReplies); rewrite with -update.
func TestEncode_Golden(t *testing.T) {
	var sb strings.Builder
	for _, v := range encodeCases() {
		b, err := Encode(v)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "%s\n%x\n", pyval.Repr(plain(v)), b)
	}
	path := filepath.Join("testdata", "encode.golden")
	if *update {
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != sb.String() {
		t.Fatalf("encodings differ from %s:\n%s", path, sb.String())
	}
}
