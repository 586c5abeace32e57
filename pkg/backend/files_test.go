package backend

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fsnotify/fsnotify"
)

func TestFiles_StartPosition(t *testing.T) {
	content := "first line\nsecond line\n"
	firstHash := sha1.Sum([]byte("first line\n"))
	tests := []struct {
		name   string
		in     PathSpec
		append string
		want   []string
	}{
		{name: "head", in: PathSpec{}, append: "third\n", want: []string{"first line", "second line", "third"}},
		{name: "tail", in: PathSpec{Tail: true}, append: "third\n", want: []string{"third"}},
		{name: "resume matching hash", in: PathSpec{Resume: &Position{Hash: hex.EncodeToString(firstHash[:]), Pos: 11}},
			append: "third\n", want: []string{"second line", "third"}},
		{name: "resume other file", in: PathSpec{Resume: &Position{Hash: "0123456789abcdef0123456789abcdef", Pos: 11}},
			append: "third\n", want: []string{"first line", "second line", "third"}},
		{name: "resume ignored for tail", in: PathSpec{Tail: true, Resume: &Position{Hash: hex.EncodeToString(firstHash[:]), Pos: 11}},
			append: "third\n", want: []string{"third"}},
		{name: "resume past end restarts", in: PathSpec{Resume: &Position{Hash: hex.EncodeToString(firstHash[:]), Pos: 1 << 20}},
			append: "third\n", want: []string{"first line", "second line", "third"}},
	}
	for _, m := range modes {
		for _, tt := range tests {
			t.Run(m.name+"/"+tt.name, func(t *testing.T) {
				name := filepath.Join(t.TempDir(), "log")
				writeFile(t, name, content)
				fs := newFiles(t, m.mode)
				spec := tt.in
				spec.Name = name
				if err := fs.AddPath(spec); err != nil {
					t.Fatal(err)
				}
				out := startFiles(t, fs)
				appendFile(t, name, tt.append)
				got := collect(t, out, len(tt.want))
				if !slices.Equal(texts(got), tt.want) {
					t.Fatalf("got %q, want %q", texts(got), tt.want)
				}
				last := got[len(got)-1]
				if size := int64(len(content) + len(tt.append)); last.Pos != size {
					t.Errorf("last Pos = %d, want %d", last.Pos, size)
				}
			})
		}
	}
}

func TestFiles_PartialLine(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "log")
			writeFile(t, name, "")
			fs := newFiles(t, m.mode)
			if err := fs.AddPath(PathSpec{Name: name}); err != nil {
				t.Fatal(err)
			}
			out := startFiles(t, fs)
			appendFile(t, name, "one\r\ntw")
			got := collect(t, out, 1)
			appendFile(t, name, "o\n")
			got = append(got, collect(t, out, 1)...)
			for i := range got {
				got[i].Live = false // depends on whether Run started before the write
			}
			want := []Line{{Text: "one", File: name, Pos: 5}, {Text: "two", File: name, Pos: 9}}
			if !slices.Equal(got, want) {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestFiles_Positions(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	writeFile(t, a, "alpha\nbeta\n")
	writeFile(t, b, "partial")
	fs := newFiles(t, ModePolling)
	for _, n := range []string{a, b} {
		if err := fs.AddPath(PathSpec{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	out := make(chan Line, 8)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- fs.Run(ctx, out) }()
	collect(t, out, 2)
	// Positions advance once a line is handed over; stop Run so that the
	// last store is visible.
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte("alpha\n"))
	want := []Position{{File: a, Hash: hex.EncodeToString(sum[:]), Pos: 11}, {File: b, Hash: "", Pos: 0}}
	if got := fs.Positions(); !slices.Equal(got, want) {
		t.Fatalf("Positions() = %+v, want %+v", got, want)
	}
	if got := fs.Paths(); !slices.Equal(got, []string{a, b}) {
		t.Fatalf("Paths() = %q", got)
	}
}

func TestFiles_AddRemove(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	writeFile(t, a, "")
	fs := newFiles(t, ModeInotify)
	tests := []struct {
		name    string
		in      PathSpec
		wantErr error
	}{
		{name: "existing", in: PathSpec{Name: a}},
		{name: "duplicate", in: PathSpec{Name: a}, wantErr: ErrDuplicatePath},
		{name: "missing", in: PathSpec{Name: filepath.Join(dir, "nope")}, wantErr: os.ErrNotExist},
		{name: "missing optional", in: PathSpec{Name: filepath.Join(dir, "later"), Optional: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := fs.AddPath(tt.in)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("AddPath(%q) = %v, want %v", tt.in.Name, err, tt.wantErr)
			}
		})
	}
	if !fs.RemovePath(a) || fs.RemovePath(a) {
		t.Fatal("RemovePath should report true once, then false")
	}
	if got := fs.Paths(); !slices.Equal(got, []string{filepath.Join(dir, "later")}) {
		t.Fatalf("Paths() = %q", got)
	}
}

// A removed path stops producing lines while the others go on.
func TestFiles_RemoveWhileRunning(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	writeFile(t, a, "")
	writeFile(t, b, "")
	fs := newFiles(t, ModeInotify)
	for _, n := range []string{a, b} {
		if err := fs.AddPath(PathSpec{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	out := startFiles(t, fs)
	appendFile(t, a, "a1\n")
	collect(t, out, 1)
	fs.RemovePath(a)
	appendFile(t, a, "a2\n")
	appendFile(t, b, "b1\n")
	got := collect(t, out, 1)
	if got[0].Text != "b1" {
		t.Fatalf("got %+v, want b1", got[0])
	}
}

func TestFiles_AppearLater(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "later.log")
			fs := newFiles(t, m.mode)
			if err := fs.AddPath(PathSpec{Name: name, Optional: true, Tail: true}); err != nil {
				t.Fatal(err)
			}
			out := startFiles(t, fs)
			writeFile(t, name, "born\n")
			got := collect(t, out, 1)
			// Deleted and recreated: read from the start again.
			if err := os.Remove(name); err != nil {
				t.Fatal(err)
			}
			writeFile(t, name, "reborn\nagain\n")
			got = append(got, collect(t, out, 2)...)
			if want := []string{"born", "reborn", "again"}; !slices.Equal(texts(got), want) {
				t.Fatalf("got %q, want %q", texts(got), want)
			}
		})
	}
}

func TestFiles_Encoding(t *testing.T) {
	raw := "caf\xe9 \xc3\xa9t\xc3\xa9 \xe2\x82\n"
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "utf-8", in: "utf-8", want: "caf\ufffd été \ufffd"},
		{name: "latin-1", in: "latin-1", want: "café Ã©tÃ© â\u0082"},
		{name: "iso-8859-1", in: "ISO-8859-1", want: "café Ã©tÃ© â\u0082"},
		{name: "ascii", in: "ascii", want: "caf\ufffd \ufffd\ufffdt\ufffd\ufffd \ufffd\ufffd"},
		{name: "auto", in: "auto", want: "caf\ufffd été \ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("LC_ALL", "C.UTF-8")
			name := filepath.Join(t.TempDir(), "log")
			writeFile(t, name, raw)
			fs, err := NewFiles(FilesOptions{Mode: ModePolling, PollInterval: fastPoll, Encoding: tt.in})
			if err != nil {
				t.Fatal(err)
			}
			if err := fs.AddPath(PathSpec{Name: name}); err != nil {
				t.Fatal(err)
			}
			got := collect(t, startFiles(t, fs), 1)
			if got[0].Text != tt.want {
				t.Fatalf("got %q, want %q", got[0].Text, tt.want)
			}
		})
	}
	if _, err := NewFiles(FilesOptions{Encoding: "klingon"}); err == nil || !strings.Contains(err.Error(), "unknown encoding: klingon") {
		t.Fatalf("unknown encoding error = %v", err)
	}
}

func TestFiles_LongLine(t *testing.T) {
	name := filepath.Join(t.TempDir(), "log")
	long := strings.Repeat("x", 3000)
	writeFile(t, name, "short\n"+long+"\nafter\n")
	fs, err := NewFiles(FilesOptions{Mode: ModePolling, PollInterval: fastPoll, MaxLineLen: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.AddPath(PathSpec{Name: name}); err != nil {
		t.Fatal(err)
	}
	got := collect(t, startFiles(t, fs), 3)
	if want := []string{"short", long[:1000], "after"}; !slices.Equal(texts(got), want) {
		t.Fatalf("got %d lines with lengths %d/%d/%d", len(got), len(got[0].Text), len(got[1].Text), len(got[2].Text))
	}
	if got[2].Pos != int64(6+3001+6) {
		t.Fatalf("Pos after long line = %d", got[2].Pos)
	}
}

// Stopping and starting again continues where the first run stopped and
// leaves no descriptor open in between.
func TestFiles_Restart(t *testing.T) {
	name := filepath.Join(t.TempDir(), "log")
	writeFile(t, name, seqLine(0)+"\n")
	fs := newFiles(t, ModeInotify)
	if err := fs.AddPath(PathSpec{Name: name}); err != nil {
		t.Fatal(err)
	}
	before := countFDs(t)
	var got []Line
	out := make(chan Line) // unbuffered: what was received is all that was emitted
	for round := 1; round <= 4; round++ {
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- fs.Run(ctx, out) }()
		got = append(got, collect(t, out, 1)...)
		appendFile(t, name, seqLine(round)+"\n")
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run = %v", err)
		}
	}
	if after := countFDs(t); after != before {
		t.Errorf("open descriptors: %d before, %d after", before, after)
	}
	checkSeq(t, got, 4)
}

// Without inotify (NewWatcher fails, e.g. max_user_instances reached) the
// backend polls instead of failing.
func TestFiles_InotifyFallback(t *testing.T) {
	orig := newWatcher
	newWatcher = func() (*fsnotify.Watcher, error) { return nil, errors.New("too many open files") }
	t.Cleanup(func() { newWatcher = orig })
	name := filepath.Join(t.TempDir(), "log")
	writeFile(t, name, "")
	fs := newFiles(t, ModeInotify)
	if err := fs.AddPath(PathSpec{Name: name}); err != nil {
		t.Fatal(err)
	}
	out := startFiles(t, fs)
	appendFile(t, name, "polled\n")
	if got := collect(t, out, 1); got[0].Text != "polled" {
		t.Fatalf("got %q", got[0].Text)
	}
}

// A log directory removed and created again is watched again.
func TestFiles_DirRecreated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "log")
	fs := newFiles(t, ModeInotify)
	if err := fs.AddPath(PathSpec{Name: name, Optional: true}); err != nil {
		t.Fatal(err)
	}
	out := startFiles(t, fs)
	writeFile(t, name, "first\n")
	collect(t, out, 1)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, name, "second\n")
	if got := collect(t, out, 1); got[0].Text != "second" {
		t.Fatalf("got %q", got[0].Text)
	}
}

// TestGetBuf checks the pooled read buffers: empty, with room for what was
// asked, whatever size was returned to the pool before.
func TestGetBuf(t *testing.T) {
	for _, tc := range []struct{ put, want int }{
		{0, 100},
		{1 << 10, 100},
		{100, 1 << 10},
		{DefaultMaxLineLen + readChunk, DefaultMaxLineLen + readChunk},
	} {
		if tc.put > 0 {
			b := make([]byte, 7, tc.put)
			readBufs.Put(&b)
		}
		b := getBuf(tc.want)
		if len(*b) != 0 || cap(*b) < tc.want {
			t.Errorf("put %d, getBuf(%d): len %d cap %d", tc.put, tc.want, len(*b), cap(*b))
		}
	}
}
