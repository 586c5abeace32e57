package protocol

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func readAll(r *Reader) ([]string, error) {
	var msgs []string
	for {
		m, err := r.Next()
		if err != nil {
			return msgs, err
		}
		msgs = append(msgs, string(m))
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		max     int
		want    []string
		wantErr error
	}{
		{name: "one", in: "abc" + End, want: []string{"abc"}, wantErr: io.EOF},
		{name: "pipelined", in: "a" + End + "b" + End + End, want: []string{"a", "b", ""}, wantErr: io.EOF},
		{name: "close", in: "a" + End + Close + End + "ignored" + End, want: []string{"a"}, wantErr: ErrCloseRequested},
		{name: "close inside message is data", in: "x" + Close + End, want: []string{"x" + Close}, wantErr: io.EOF},
		{name: "marker splits argument", in: "arg<F2B_END_COMMAND>rest" + End, want: []string{"arg", "rest"}, wantErr: io.EOF},
		{name: "partial at eof", in: "a" + End + "tail", want: []string{"a"}, wantErr: io.ErrUnexpectedEOF},
		{name: "too large", in: strings.Repeat("x", 100) + End, max: 10, wantErr: ErrMessageTooLarge},
		{name: "at cap", in: strings.Repeat("x", 10) + End, max: 10, want: []string{strings.Repeat("x", 10)}, wantErr: io.EOF},
	}
	for _, tc := range tests {
		for _, mode := range []string{"whole", "bytewise"} {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				var src io.Reader = strings.NewReader(tc.in)
				if mode == "bytewise" {
					src = iotest.OneByteReader(src)
				}
				got, err := readAll(NewReader(src, ReaderOptions{MaxMessage: tc.max}))
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error = %v, want %v", err, tc.wantErr)
				}
				if strings.Join(got, "|") != strings.Join(tc.want, "|") {
					t.Fatalf("messages = %q, want %q", got, tc.want)
				}
			})
		}
	}
}

// A 64 MiB message is refused after buffering at most the cap plus one read.
func TestReader_HugeMessage(t *testing.T) {
	src := io.LimitReader(zeroReader{}, 64<<20)
	r := NewReader(src, ReaderOptions{})
	_, err := r.Next()
	if !errors.Is(err, ErrMessageTooLarge) {
		t.Fatalf("error = %v, want ErrMessageTooLarge", err)
	}
	if cap(r.buf) > 2*DefaultMaxMessage+8192 {
		t.Fatalf("buffer grew to %d bytes", cap(r.buf))
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestWriteMessage(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMessage(&b, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if b.String() != "x"+End {
		t.Fatalf("got %q", b.String())
	}
}
