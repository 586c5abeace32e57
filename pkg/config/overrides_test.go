package config

import (
	"os"
	"path/filepath"
	"testing"
)

// overlay copies the files of testdata dir src over dst.
func overlay(t testing.TB, dst, src string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// makeLogs creates the log files the override tree names under its
// confpath, so that both clients see the same deterministic set.
func makeLogs(t testing.TB, dir string) {
	t.Helper()
	for _, f := range []string{"auth.log", "auth1.log", "authx.log", ".auth-hidden.log", "secure",
		"nginx/a/error.log", "nginx/b/error.log", "nginx/c/other.log", "fail2ban.log", "mail.log"} {
		p := filepath.Join(dir, "logs", f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/nonexistent/target", filepath.Join(dir, "logs", "auth-dangling.log")); err != nil {
		t.Fatal(err)
	}
}

func TestStream_Overrides(t *testing.T) {
	needOracle(t)
	dir := copyTree(t, stockDir)
	overlay(t, dir, "testdata/overrides")
	makeLogs(t, dir)
	compareDumps(t, dir)
	compareDumpsAs(t, dir, true)
}
