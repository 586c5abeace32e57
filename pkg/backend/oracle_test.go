package backend

import (
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// python returns Debian's interpreter with the fail2ban modules, or skips.
func python(t *testing.T) string {
	t.Helper()
	const py = "/usr/bin/python3"
	err := exec.Command(py, "-c", "import fail2ban.server.filter").Run()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("fail2ban oracle needed in CI: %v", err)
		}
		t.Skipf("fail2ban's Python modules not available (%v); install the fail2ban package", err)
	}
	return py
}

// runPython feeds JSON to a script and decodes its JSON answer.
func runPython(t *testing.T, script string, in, out any) {
	t.Helper()
	py := python(t)
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(data))
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("python output %q: %v", res, err)
	}
}

// decodeSamples are byte strings that exercise every ill-formed UTF-8 case,
// plus random ones from a fixed seed.
func decodeSamples() [][]byte {
	s := [][]byte{
		[]byte("plain ascii"), []byte("caf\xc3\xa9"), []byte("\xff\xfe"), []byte("\xe2\x82"),
		[]byte("\xe2\x82A"), []byte("\xf0\x9f\x98"), []byte("\xf0\x9f\x98\x80"), []byte("\xed\xa0\x80"),
		[]byte("\xe0\x80\xaf"), []byte("\xc0\xaf"), []byte("\xf4\x90\x80\x80"), []byte("\xf5\x80"),
		[]byte("\x80\xbf"), []byte("a\xc3"), []byte("\xef\xbf\xbd"), []byte("\xf1\x80\x80"),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		b := make([]byte, 1+rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(3) == 0 {
				b[i] = 0x80 + byte(rng.IntN(64))
			}
		}
		s = append(s, b)
	}
	return s
}

// Decoding matches Python's bytes.decode(enc, "replace") byte for byte.
func TestDecode_Python(t *testing.T) {
	samples := decodeSamples()
	encs := []string{"utf-8", "latin-1", "ascii"}
	var in []string
	for _, b := range samples {
		in = append(in, hex.EncodeToString(b))
	}
	const script = `import json, sys
d = json.load(sys.stdin)
print(json.dumps({e: [bytes.fromhex(h).decode(e, "replace") for h in d] for e in ["utf-8", "latin-1", "ascii"]}))`
	var want map[string][]string
	runPython(t, script, in, &want)
	for _, enc := range encs {
		dec, err := NewDecoder(enc)
		if err != nil {
			t.Fatal(err)
		}
		for i, b := range samples {
			if got := dec(b); got != want[enc][i] {
				t.Errorf("%s decode(%x) = %q, python %q", enc, b, got, want[enc][i])
			}
		}
	}
}

// The first-line hash is the one fail2ban's FileContainer computes, so that
// positions in a database written by fail2ban are resumed.
func TestHash_Python(t *testing.T) {
	dir := t.TempDir()
	contents := []string{"", "no newline", "one\n", "crlf\r\nsecond\n", "\n", strings.Repeat("long", 3000) + "\nx\n", "caf\xe9\nz"}
	var names []string
	for i, c := range contents {
		n := filepath.Join(dir, "f"+string(rune('a'+i)))
		writeFile(t, n, c)
		names = append(names, n)
	}
	const script = `import json, sys
from fail2ban.server.filter import FileContainer
print(json.dumps([FileContainer(n, "utf-8").getHash() for n in json.load(sys.stdin)]))`
	var want []string
	runPython(t, script, names, &want)
	for i, n := range names {
		_, _, got, err := fileIdentity(n)
		if err != nil {
			t.Fatal(err)
		}
		if got != want[i] {
			t.Errorf("hash of %q = %q, fail2ban %q", contents[i], got, want[i])
		}
	}
}

// The lines read from a file, in each encoding, are the ones fail2ban's
// FileContainer reads: same splitting, "\r\n" stripping, decoding and
// waiting for an unterminated last line.
func TestReadLines_Python(t *testing.T) {
	contents := []string{
		"plain\nlines\n",
		"crlf\r\nmixed\rcr\r\r\n\n\nend",
		"caf\xe9 latin\n\xc3\xa9t\xc3\xa9 utf8\n\xe2\x82 broken\n",
		"\xff\xfe\x00odd\n\x80\n",
		"no newline at all",
		"",
	}
	dir := t.TempDir()
	type job struct {
		File string `json:"file"`
		Enc  string `json:"enc"`
	}
	var jobs []job
	for i, c := range contents {
		n := filepath.Join(dir, "f"+string(rune('a'+i)))
		writeFile(t, n, c)
		for _, enc := range []string{"utf-8", "latin-1", "ascii"} {
			jobs = append(jobs, job{File: n, Enc: enc})
		}
	}
	const script = `import json, sys, logging
logging.disable(logging.CRITICAL)
from fail2ban.server.filter import FileContainer
out = []
for j in json.load(sys.stdin):
    fc = FileContainer(j["file"], j["enc"])
    lines = []
    if fc.open():
        while True:
            l = fc.readline()
            if l is None:
                break
            lines.append(l)
        fc.close()
    out.append(lines)
print(json.dumps(out))`
	var want [][]string
	runPython(t, script, jobs, &want)
	for i, jb := range jobs {
		dec, err := NewDecoder(jb.Enc)
		if err != nil {
			t.Fatal(err)
		}
		out := make(chan Line, 64)
		r := newReader(t.Context(), out, func() Decoder { return dec }, DefaultMaxLineLen, discardLogger())
		tl := &tailed{name: jb.File}
		if err := r.poll(tl, true); err != nil {
			t.Fatal(err)
		}
		tl.closeFile()
		close(out)
		var got []string
		for l := range out {
			got = append(got, l.Text)
		}
		if !slices.Equal(got, want[i]) && !(len(got) == 0 && len(want[i]) == 0) {
			t.Errorf("%s in %s: got %q, fail2ban %q", filepath.Base(jb.File), jb.Enc, got, want[i])
		}
	}
}
