package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLoader_MayExist checks the directory-listing shortcut against the
// file system: it may only answer false for names that stat cannot find,
// and stat's verdict must be os.Stat's whether the listing answers it (a
// regular file) or not (links, directories).
func TestLoader_MayExist(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.conf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "a.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "dangling.local")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.conf", filepath.Join(dir, "linked.local")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.d", filepath.Join(dir, "dirlink.local")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		in          string
		want        bool // mayExist
		wantExists  bool // stat's verdict
		wantRegular bool
	}{
		{name: "file", in: "a.conf", want: true, wantExists: true, wantRegular: true},
		{name: "directory", in: "a.d", want: true, wantExists: true},
		{name: "absent", in: "a.local", want: false},
		{name: "dangling link is listed", in: "dangling.local", want: true},
		{name: "link to a file", in: "linked.local", want: true, wantExists: true, wantRegular: true},
		{name: "link to a directory", in: "dirlink.local", want: true, wantExists: true},
		{name: "inside a missing directory", in: "nodir/x.conf", want: true},
	}
	l := newLoader(Options{Dir: dir})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.in)
			if got := l.mayExist(p); got != tt.want {
				t.Fatalf("mayExist(%q) = %v, want %v", tt.in, got, tt.want)
			}
			got := l.stat(p)
			if got.exists != tt.wantExists || got.regular != tt.wantRegular {
				t.Fatalf("stat(%q) = %+v, want exists %v, regular %v", tt.in, got, tt.wantExists, tt.wantRegular)
			}
			st, err := os.Stat(p)
			if exists := err == nil; exists != got.exists || (exists && st.Mode().IsRegular() != got.regular) {
				t.Fatalf("stat(%q) = %+v, os.Stat says otherwise (%v)", tt.in, got, err)
			}
		})
	}
}

// TestLogFiles_SameAsFileSystem checks that the per-load cache of log
// globs answers what asking the file system each time does, the second
// time too (from the cache).
func TestLogFiles_SameAsFileSystem(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.log", "b.log", "c.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "dangling.log")); err != nil {
		t.Fatal(err)
	}
	value := strings.Join([]string{
		filepath.Join(dir, "*.log"),
		filepath.Join(dir, "c.txt") + " tail",
		filepath.Join(dir, "missing", "*.log"),
	}, "\n")
	want := &prepared{jail: "j"}
	wantOut := want.logPaths(nil, "j", value)
	if len(wantOut) != 3 {
		t.Fatalf("without a cache: %d log files, want 3: %v", len(wantOut), wantOut)
	}
	files := newLogFiles()
	for pass := range 2 {
		got := &prepared{jail: "j"}
		gotOut := got.logPaths(files, "j", value)
		if !reflect.DeepEqual(gotOut, wantOut) || !reflect.DeepEqual(got.logs, want.logs) || got.noLogs != want.noLogs {
			t.Fatalf("pass %d: logPaths = %v, logs %v; want %v, logs %v", pass, gotOut, got.logs, wantOut, want.logs)
		}
	}
}
