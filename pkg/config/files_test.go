package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoader_MayExist checks the directory-listing shortcut against the
// file system: it may only answer false for names that stat cannot find.
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
	tests := []struct {
		name       string
		in         string
		want       bool // mayExist
		wantExists bool // stat's verdict
	}{
		{name: "file", in: "a.conf", want: true, wantExists: true},
		{name: "directory", in: "a.d", want: true, wantExists: true},
		{name: "absent", in: "a.local", want: false},
		{name: "dangling link is listed", in: "dangling.local", want: true},
		{name: "inside a missing directory", in: "nodir/x.conf", want: true},
	}
	l := newLoader(Options{Dir: dir})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.in)
			if got := l.mayExist(p); got != tt.want {
				t.Fatalf("mayExist(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if got := l.stat(p).exists; got != tt.wantExists {
				t.Fatalf("stat(%q).exists = %v, want %v", tt.in, got, tt.wantExists)
			}
		})
	}
}
