package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReadInit_KnownKeys: readInit adds the known/ copies of [Init] keys
// without looking for them first only when no known/ key can be there;
// with a literal known/ key in [Init] (either order) or among the
// reader's arguments, a copy replaces it as Python's dict update does,
// and the reader's dict never holds a key twice.
func TestReadInit_KnownKeys(t *testing.T) {
	tests := []struct {
		name string
		init string
		args []Arg
		want map[string]string
	}{
		{"plain", "a = 1\nb = 2\n", nil,
			map[string]string{"a": "1", "b": "2", "known/a": "1", "known/b": "2"}},
		{"literal known first", "known/x = lit\nx = plain\n", nil,
			map[string]string{"x": "plain", "known/x": "plain"}},
		{"literal known last", "x = plain\nknown/x = lit\n", nil,
			map[string]string{"x": "plain", "known/x": "plain"}},
		{"known argument", "x = plain\n", []Arg{{"known/x", "arg"}},
			map[string]string{"x": "plain", "known/x": "plain"}},
		{"argument wins", "x = plain\n", []Arg{{"x", "arg"}},
			map[string]string{"x": "arg", "known/x": "plain"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "action.d"), 0o755); err != nil {
				t.Fatal(err)
			}
			text := "[Definition]\nactionban = x\n\n[Init]\n" + tt.init
			if err := os.WriteFile(filepath.Join(dir, "action.d", "t.conf"), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			l := newLoader(Options{Dir: dir})
			r, err := newDefReader(l, "action.d", "t", "j", tt.args, actionOpts)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.getOptions(newODict(), false); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for i, k := range r.init.keys {
				if seen[k] {
					t.Fatalf("key %q twice in %v", k, r.init.keys)
				}
				seen[k] = true
				if w, ok := tt.want[k]; ok && r.init.vals[i] != w {
					t.Errorf("%s = %v, want %q", k, r.init.vals[i], w)
				}
			}
			for k := range tt.want {
				if !seen[k] {
					t.Errorf("%s missing from %v", k, r.init.keys)
				}
			}
		})
	}
}
