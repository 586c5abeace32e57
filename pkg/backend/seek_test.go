package backend

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var seekBase = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// datedLine is line i of a log with one line per second; every tenth line
// has no date.
func datedLine(i int) string {
	if i%10 == 3 {
		return fmt.Sprintf("continuation of %d", i-1)
	}
	return seekBase.Add(time.Duration(i)*time.Second).Format(time.DateTime) + fmt.Sprintf(" sshd: line %d", i)
}

func dateOfTest(s string) (time.Time, bool) {
	if len(s) < len(time.DateTime) {
		return time.Time{}, false
	}
	tm, err := time.Parse(time.DateTime, s[:len(time.DateTime)])
	return tm, err == nil
}

func TestFiles_SeekSince(t *testing.T) {
	const n = 20000
	var sb strings.Builder
	for i := range n {
		sb.WriteString(datedLine(i) + "\n")
	}
	tests := []struct {
		name  string
		since int // line index whose time is Since
		tail  bool
		want  int // expected first line, -1: must be within the window before since
	}{
		{name: "middle", since: 12345, want: -1},
		{name: "before start", since: -100, want: 0},
		{name: "after end", since: n + 100, want: -1},
		{name: "tail ignores since", since: 5, tail: true, want: n},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "log")
			writeFile(t, name, sb.String())
			fs, err := NewFiles(FilesOptions{Mode: ModePolling, PollInterval: fastPoll, DateOf: dateOfTest})
			if err != nil {
				t.Fatal(err)
			}
			fs.seekWindow = 1024
			since := seekBase.Add(time.Duration(tt.since) * time.Second)
			if err := fs.AddPath(PathSpec{Name: name, Since: since, Tail: tt.tail}); err != nil {
				t.Fatal(err)
			}
			out := startFiles(t, fs)
			appendFile(t, name, "the end\n")
			var first string
			var count int
			for last := ""; last != "the end"; count++ {
				last = collect(t, out, 1)[0].Text
				if count == 0 {
					first = last
				}
			}
			firstIdx := n - (count - 1)
			switch {
			case tt.want >= 0 && firstIdx != tt.want:
				t.Fatalf("first line %q (index %d), want index %d", first, firstIdx, tt.want)
			case tt.want < 0 && (firstIdx > tt.since || firstIdx < tt.since-60 && tt.since < n):
				t.Fatalf("first line %q (index %d), want just before %d", first, firstIdx, tt.since)
			case tt.want < 0 && tt.since >= n && firstIdx < n-60:
				t.Fatalf("first line %q (index %d), want near the end", first, firstIdx)
			}
		})
	}
}

// Lines read while catching up are not live; lines appended later are.
func TestFiles_Live(t *testing.T) {
	name := filepath.Join(t.TempDir(), "log")
	writeFile(t, name, "old 1\nold 2\n")
	fs := newFiles(t, ModeInotify)
	if err := fs.AddPath(PathSpec{Name: name}); err != nil {
		t.Fatal(err)
	}
	out := startFiles(t, fs)
	got := collect(t, out, 2)
	appendFile(t, name, "new\n")
	got = append(got, collect(t, out, 1)...)
	for i, want := range []bool{false, false, true} {
		if got[i].Live != want {
			t.Errorf("line %q Live = %v, want %v", got[i].Text, got[i].Live, want)
		}
	}
}
