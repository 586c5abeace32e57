package pyval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestRepr(t *testing.T) {
	big1, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "none", in: nil, want: "None"},
		{name: "true", in: true, want: "True"},
		{name: "int", in: int64(-5), want: "-5"},
		{name: "goint", in: 7, want: "7"},
		{name: "bigint", in: big1, want: "123456789012345678901234567890"},
		{name: "float", in: 0.1, want: "0.1"},
		{name: "float-int", in: 600.0, want: "600.0"},
		{name: "float-small", in: 1e-05, want: "1e-05"},
		{name: "float-big", in: 1e16, want: "1e+16"},
		{name: "float-neg-zero", in: math.Copysign(0, -1), want: "-0.0"},
		{name: "str", in: "a'b", want: `"a'b"`},
		{name: "str-both", in: `a'b"c`, want: `'a\'b"c'`},
		{name: "str-ctl", in: "x\ty\n\x01\x7f\\", want: `'x\ty\n\x01\x7f\\'`},
		{name: "str-unicode", in: "é\u00a0\u200b😀", want: `'é\xa0\u200b😀'`},
		{name: "bytes", in: Bytes("ping\x00\xff"), want: `b'ping\x00\xff'`},
		{name: "list", in: []any{"set", "sshd", int64(5)}, want: `['set', 'sshd', 5]`},
		{name: "tuple1", in: Tuple{int64(0)}, want: `(0,)`},
		{name: "tuple2", in: Tuple{int64(0), "pong"}, want: `(0, 'pong')`},
		{name: "tuple0", in: Tuple{}, want: `()`},
		{name: "dict", in: Dict{{Key: "stacksize", Value: int64(0)}}, want: `{'stacksize': 0}`},
		{name: "set-empty", in: Set{}, want: `set()`},
		{name: "frozenset", in: FrozenSet{int64(1)}, want: `frozenset({1})`},
		{name: "exception", in: NewException("KeyError", "x"), want: `KeyError('x')`},
		{name: "exception-2", in: NewException("ValueError", "a", int64(1)), want: `ValueError('a', 1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Repr(tt.in); got != tt.want {
				t.Errorf("Repr(%#v) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestStr(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "str", in: "abc", want: "abc"},
		{name: "keyerror", in: NewException("KeyError", "x"), want: "'x'"},
		{name: "valueerror", in: NewException("ValueError", "bad"), want: "bad"},
		{name: "noargs", in: NewException("Exception"), want: ""},
		{name: "int", in: int64(3), want: "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Str(tt.in); got != tt.want {
				t.Errorf("Str = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestReprAgainstPython compares our repr of random strings and floats with
// CPython's, one JSON value per line.
func TestReprAgainstPython(t *testing.T) {
	const py = "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI: %v", py, err)
		}
		t.Skipf("%s not installed", py)
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("ab'\"\\\t\n\r\x00\x1b\x7f é\u00a0\u00ad\u2028\u200b\u3000😀\U000e0001\ufeff𝔘")
	var vals []any
	for range 2000 {
		n := r.IntN(12)
		var sb strings.Builder
		for range n {
			sb.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		vals = append(vals, sb.String())
	}
	for range 2000 {
		var f float64
		switch r.IntN(3) {
		case 0:
			f = r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
		case 1:
			f = float64(r.IntN(100000)) / 1000
		default:
			f = math.Float64frombits(r.Uint64())
			if math.IsNaN(f) || math.IsInf(f, 0) {
				f = 1.5
			}
		}
		vals = append(vals, f)
	}
	var in bytes.Buffer
	for _, v := range vals {
		if f, ok := v.(float64); ok {
			// JSON numbers without a dot or exponent would read back as ints.
			in.WriteString(strconv.FormatFloat(f, 'e', -1, 64))
		} else {
			b, _ := json.Marshal(v)
			in.Write(b)
		}
		in.WriteByte('\n')
	}
	cmd := exec.Command(py, "-c", `import sys, json
for line in sys.stdin:
    print(ascii(repr(json.loads(line))))`)
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	i := 0
	for sc.Scan() {
		var want string
		// ascii(repr(x)) is itself a Python str literal of the repr; our
		// Repr of that repr must give the same literal back.
		if got := Repr(Repr(vals[i])); asciiOnly(got) != sc.Text() {
			want = sc.Text()
			t.Errorf("value %d %q: our repr %s, python ascii(repr) %s", i, vals[i], Repr(vals[i]), want)
		}
		i++
	}
	if i != len(vals) {
		t.Fatalf("python printed %d lines, want %d", i, len(vals))
	}
}

// asciiOnly rewrites a repr literal the way Python's ascii() escapes
// non-ASCII characters, so both sides can be compared as ASCII text.
func asciiOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r < 0x100:
			b.WriteString(`\x` + hex2(int(r)))
		case r < 0x10000:
			b.WriteString(`\u` + hex4(int(r)))
		default:
			b.WriteString(`\U` + hex4(int(r)>>16) + hex4(int(r)&0xffff))
		}
	}
	return b.String()
}

func hex2(n int) string { return string("0123456789abcdef"[n>>4]) + string("0123456789abcdef"[n&15]) }
func hex4(n int) string { return hex2(n>>8) + hex2(n&0xff) }

func FuzzRepr(f *testing.F) {
	f.Add("a'b\"c\\\x00é😀")
	f.Fuzz(func(t *testing.T, s string) {
		got := Repr(s)
		if len(got) < 2 {
			t.Fatalf("Repr(%q) = %q", s, got)
		}
		_ = Repr([]any{s, Tuple{s}, Dict{{Key: s, Value: Bytes(s)}}})
	})
}
