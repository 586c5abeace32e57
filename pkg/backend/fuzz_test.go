package backend

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

func FuzzDecodeUTF8(f *testing.F) {
	for _, b := range decodeSamples()[:40] {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := decodeUTF8(b)
		if !utf8.ValidString(got) {
			t.Fatalf("decode(%x) = %q is not valid UTF-8", b, got)
		}
		if utf8.Valid(b) && got != string(b) {
			t.Fatalf("decode(%x) changed valid input to %q", b, got)
		}
		if n := utf8.RuneCountInString(got); n > len(b) {
			t.Fatalf("decode(%x) has %d runes for %d bytes", b, n, len(b))
		}
		if n := utf8.RuneCountInString(decodeLatin1(b)); n != len(b) {
			t.Fatalf("latin-1 decode(%x) has %d runes", b, n)
		}
	})
}

// FuzzReadLines writes content in two parts, reading after each, and checks
// the emitted lines against a plain split of the whole content.
func FuzzReadLines(f *testing.F) {
	seeds := []struct {
		content string
		split   uint
	}{
		{content: "a\nb\n", split: 1},
		{content: "one\r\ntwo", split: 5},
		{content: "0123456789abcdefXYZ\nshort\n", split: 10},
		{content: "0123456789abcdef0123\rtail", split: 3},
		{content: "\n\n\r\n", split: 2},
		{content: "x\r\ry\n", split: 0},
	}
	for _, s := range seeds {
		f.Add([]byte(s.content), s.split)
	}
	const maxLine = 16
	f.Fuzz(func(t *testing.T, content []byte, split uint) {
		split %= uint(len(content) + 1)
		name := filepath.Join(t.TempDir(), "log")
		if err := os.WriteFile(name, content[:split], 0o600); err != nil {
			t.Fatal(err)
		}
		out := make(chan Line, len(content)+2)
		r := newReader(context.Background(), out, func() Decoder { return decodeLatin1 }, maxLine, discardLogger())
		tl := &tailed{name: name}
		if err := r.poll(tl, true); err != nil {
			t.Fatal(err)
		}
		appendBytes(t, name, content[split:])
		if err := r.poll(tl, true); err != nil {
			t.Fatal(err)
		}
		tl.closeFile()
		close(out)
		var got []string
		for l := range out {
			got = append(got, l.Text)
		}
		want := modelLines(content, maxLine)
		if len(got) != len(want) {
			t.Fatalf("got %q, want %q", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("line %d = %q, want %q", i, got[i], want[i])
			}
		}
	})
}

// modelLines is the reference: complete lines capped then stripped of
// trailing "\r\n" characters; an unterminated tail only if over-long.
func modelLines(content []byte, maxLine int) []string {
	var out []string
	trim := func(b []byte) string {
		if len(b) > maxLine {
			b = b[:maxLine]
		}
		return decodeLatin1(bytes.TrimRight(b, "\r\n"))
	}
	parts := bytes.Split(content, []byte("\n"))
	for _, p := range parts[:len(parts)-1] {
		out = append(out, trim(p))
	}
	if last := parts[len(parts)-1]; len(last) >= maxLine {
		out = append(out, trim(last))
	}
	return out
}

func appendBytes(t *testing.T, name string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}
