package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

var dataTests = []struct {
	name       string
	in         Data
	maxMatches int
	want       string
}{
	{name: "banip", in: Data{}, maxMatches: 10, want: `{"matches": [], "failures": 0}`},
	{name: "attempt", in: Data{Matches: []Match{{"msg1"}, {"msg2"}}, Failures: 1}, maxMatches: 10,
		want: `{"matches": ["msg1", "msg2"], "failures": 1}`},
	{name: "split line and groups", maxMatches: 10,
		in: Data{Matches: []Match{{"", "2026-11-25 12:36:30", " fail from 203.0.113.7"}, {"whole"}}, Failures: 3,
			Fields: []Field{{Key: "ip4", Value: "203.0.113.7"}, {Key: "skip", Value: nil}, {Key: "n", Value: int64(5)}}},
		want: `{"matches": [["", "2026-11-25 12:36:30", " fail from 203.0.113.7"], "whole"], "failures": 3, "ip4": "203.0.113.7", "n": 5}`},
	{name: "cut to last matches", in: Data{Matches: []Match{{"a"}, {"b"}, {"c"}}, Failures: 3}, maxMatches: 2,
		want: `{"matches": ["b", "c"], "failures": 3}`},
	{name: "no matches key", in: Data{Matches: []Match{{"a"}}, Failures: 1}, maxMatches: 0,
		want: `{"failures": 1}`},
	{name: "escapes", maxMatches: 10,
		in:   Data{Matches: []Match{{"q\"b\\s\x01\x1f\n\t\r\b\f\x7f ü € \u2028 😀"}}},
		want: `{"matches": ["q\"b\\s\u0001\u001f\n\t\r\b\f` + "\x7f ü € \u2028 😀" + `"], "failures": 0}`},
	{name: "invalid utf-8", in: Data{Matches: []Match{{"a\xffb"}}}, maxMatches: 10,
		want: `{"matches": ["a` + "\uFFFD" + `b"], "failures": 0}`},
	{name: "floats and lists", maxMatches: 10,
		in: Data{Fields: []Field{{Key: "f", Value: 1.5}, {Key: "g", Value: 1e16}, {Key: "h", Value: 1234567.0},
			{Key: "i", Value: 0.0001}, {Key: "j", Value: 1e-5}, {Key: "l", Value: []any{"x", true, nil}}}},
		want: `{"matches": [], "failures": 0, "f": 1.5, "g": 1e+16, "h": 1234567.0, "i": 0.0001, "j": 1e-05, "l": ["x", true, null]}`},
}

func TestData_Encode(t *testing.T) {
	for _, tt := range dataTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.in.encode(tt.maxMatches)); got != tt.want {
				t.Errorf("encode =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestCompat_JSON has Python re-dump each of our encodings with
// json.dumps(ensure_ascii=False) and requires identical bytes.
func TestCompat_JSON(t *testing.T) {
	requireOracle(t)
	var in bytes.Buffer
	for _, tt := range dataTests {
		in.Write(tt.in.encode(tt.maxMatches))
		in.WriteByte('\n')
	}
	cmd := exec.Command(pythonPath, "-c",
		"import json,sys\nfor l in sys.stdin: print(json.dumps(json.loads(l), ensure_ascii=False))")
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for _, tt := range dataTests {
		if !sc.Scan() {
			t.Fatal("python printed fewer lines")
		}
		if got := string(tt.in.encode(tt.maxMatches)); got != sc.Text() {
			t.Errorf("%s: ours\n%s\npython\n%s", tt.name, got, sc.Text())
		}
	}
}

func TestData_Decode(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Data
		wantErr bool
	}{
		{name: "full", in: `{"matches": [["", "d", " x"], "y"], "failures": 3, "user": "root", "n": 2, "f": 0.5}`,
			want: Data{Matches: []Match{{"", "d", " x"}, {"y"}}, Failures: 3,
				Fields: []Field{{Key: "user", Value: "root"}, {Key: "n", Value: int64(2)}, {Key: "f", Value: 0.5}}}},
		{name: "keys in any order", in: `{"failures": 1, "matches": ["a"]}`,
			want: Data{Matches: []Match{{"a"}}, Failures: 1}},
		{name: "null column", in: ``, want: Data{noFailures: true}},
		{name: "no failures", in: `{"matches": []}`, want: Data{Matches: []Match{}, noFailures: true}},
		{name: "nested object kept raw", in: `{"failures": 1, "o": {"a": 1}}`,
			want: Data{Failures: 1, Fields: []Field{{Key: "o", Value: json.RawMessage(`{"a":1}`)}}}},
		{name: "not an object", in: `[1, 2]`, want: Data{noFailures: true}, wantErr: true},
		{name: "truncated", in: `{"matches": ["a`, want: Data{noFailures: true}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeData([]byte(tt.in))
			if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decode = %#v, %v; want %#v, err %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestPyFloat(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{name: "integral", in: 3, want: "3.0"},
		{name: "exp16", in: 1e16, want: "1e+16"},
		{name: "below", in: 999999999999999.9, want: "999999999999999.9"},
		{name: "small", in: 0.00012, want: "0.00012"},
		{name: "tiny", in: 1.5e-7, want: "1.5e-07"},
		{name: "neg", in: -2.5, want: "-2.5"},
		{name: "nan", in: math.NaN(), want: "NaN"},
	}
	for _, tt := range tests {
		if got := pyFloat(tt.in); got != tt.want {
			t.Errorf("%s: pyFloat(%v) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// FuzzDecodeData: decoding never panics, agrees with the encoding/json
// reference on valid JSON, and what decodes survives an encode/decode
// round trip.
func FuzzDecodeData(f *testing.F) {
	for _, tt := range dataTests {
		f.Add(tt.in.encode(tt.maxMatches))
	}
	f.Add([]byte(`{"matches": [["", "d", " x"], 5, null, [1]], "failures": "x", "k": {"a": [1.5]}}`))
	f.Add([]byte(`{"failures": 1e400}`))
	f.Add([]byte(`{"s": "\ud83d\ude00 \ud800x \u00e9\/", "o": [{"a": [1, {"b": "}"}]}], "n": -0, "e": 1e2}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		d1, err := decodeData(raw)
		if json.Valid(raw) {
			ref, rerr := refDecodeData(raw)
			if (err != nil) != (rerr != nil) || !reflect.DeepEqual(d1, ref) {
				t.Fatalf("decode(%q) = %#v, %v; reference %#v, %v", raw, d1, err, ref, rerr)
			}
		}
		if err != nil {
			return
		}
		d2, err := decodeData(d1.encode(1 << 20))
		if err != nil {
			t.Fatalf("re-decode of %q: %v", d1.encode(1<<20), err)
		}
		if len(d1.Matches) != len(d2.Matches) || d1.Failures != d2.Failures {
			t.Fatalf("round trip changed data: %#v -> %#v", d1, d2)
		}
		for i := range d1.Matches {
			if d1.Matches[i].Line() != d2.Matches[i].Line() {
				t.Fatalf("match %d: %q -> %q", i, d1.Matches[i].Line(), d2.Matches[i].Line())
			}
		}
		if !strings.HasPrefix(string(d1.encode(0)), "{") {
			t.Fatal("encoding does not start an object")
		}
	})
}
