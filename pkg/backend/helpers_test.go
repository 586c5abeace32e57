package backend

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
)

// waitTimeout bounds how long a test waits for expected output; it is a
// failure deadline, not a synchronisation sleep.
const waitTimeout = 20 * time.Second

// fastPoll keeps polling tests quick.
const fastPoll = 5 * time.Millisecond

// startFiles runs fs in the background and returns its output channel; the
// run is stopped and checked to return nil when the test ends.
func startFiles(t *testing.T, fs *Files) <-chan Line {
	t.Helper()
	out := make(chan Line, 1024)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- fs.Run(ctx, out) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v, want nil", err)
		}
	})
	return out
}

// collect reads n lines or fails at the deadline.
func collect(t *testing.T, out <-chan Line, n int) []Line {
	t.Helper()
	var got []Line
	deadline := time.After(waitTimeout)
	for len(got) < n {
		select {
		case l := <-out:
			got = append(got, l)
		case <-deadline:
			t.Fatalf("got %d lines, want %d; last: %v", len(got), n, tailOf(got))
		}
	}
	return got
}

func tailOf(ls []Line) []Line {
	if len(ls) > 3 {
		return ls[len(ls)-3:]
	}
	return ls
}

func texts(ls []Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Text
	}
	return out
}

func writeFile(t *testing.T, name, s string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, name, s string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func newFiles(t *testing.T, mode Mode) *Files {
	t.Helper()
	fs, err := NewFiles(FilesOptions{Mode: mode, PollInterval: fastPoll, Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

var modes = []struct {
	name string
	mode Mode
}{
	{name: "polling", mode: ModePolling},
	{name: "inotify", mode: ModeInotify},
}

// seqLine is the text of line i in the sequence tests.
func seqLine(i int) string { return fmt.Sprintf("seq %08d payload", i) }

// checkSeq verifies that lines hold seqLine(0..n-1) exactly once, in order.
func checkSeq(t *testing.T, ls []Line, n int) {
	t.Helper()
	if len(ls) != n {
		t.Fatalf("got %d lines, want %d", len(ls), n)
	}
	for i, l := range ls {
		if !strings.HasPrefix(l.Text, "seq ") || l.Text != seqLine(i) {
			t.Fatalf("line %d = %q, want %q", i, l.Text, seqLine(i))
		}
	}
}

func countFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(ents)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
