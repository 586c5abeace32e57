package ini

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseFile_Read(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := "[Definition]\nfailregex = ^x <HOST>$\n"
	tests := []struct {
		name     string
		in       string
		want     string // value of Definition/failregex
		wantErr  string
		pathErr  bool // the error is an *fs.PathError (config treats it as unreadable)
		wantOpen bool // ... from open, returned unwrapped
	}{
		{name: "regular", in: write("a.conf", []byte(small)), want: "^x <HOST>$"},
		{name: "empty", in: write("empty.conf", nil)},
		{name: "missing", in: filepath.Join(dir, "nope.conf"), wantErr: "no such file", pathErr: true, wantOpen: true},
		{name: "directory", in: dir, wantErr: "is a directory", pathErr: true},
		{name: "too large", in: write("big.conf", bytes.Repeat([]byte("#\n"), MaxFileSize/2+1)), wantErr: "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFile(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseFile(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				var pe *fs.PathError
				if errors.As(err, &pe) != tt.pathErr {
					t.Fatalf("error %v: PathError = %v, want %v", err, !tt.pathErr, tt.pathErr)
				}
				if _, direct := err.(*fs.PathError); direct != tt.wantOpen {
					t.Fatalf("error %v: unwrapped PathError = %v, want %v", err, direct, tt.wantOpen)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFile(%q): %v", tt.in, err)
			}
			if got := f.Section("Definition").Key("failregex"); tt.want != "" && (got == nil || got.Value != tt.want) {
				t.Fatalf("failregex = %+v, want %q", got, tt.want)
			}
		})
	}
}
