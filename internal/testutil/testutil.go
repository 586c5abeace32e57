// Package testutil holds what the end-to-end test packages (test/...)
// share: building the two binaries once per test binary, and the rule that
// a missing tool skips a test locally but fails it in CI.
package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// Binaries builds f2b-server and f2b-client once per test binary into a
// directory every user may read (tests run the client as nobody) and
// returns that directory.
func Binaries(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "f2b-bin-")
		if err != nil {
			binErr = err
			return
		}
		os.Chmod(dir, 0o755)
		// Built as the Makefile builds them: the client without cgo.
		for _, pkg := range []string{"./cmd/f2b-server", "./cmd/f2b-client"} {
			cmd := exec.Command("go", "build", "-o", dir+"/", pkg)
			cmd.Dir = Root()
			if pkg == "./cmd/f2b-client" {
				cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			}
			if out, err := cmd.CombinedOutput(); err != nil {
				os.RemoveAll(dir)
				binErr = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
				return
			}
		}
		binDir = dir
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binDir
}

// Root is the module's root directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// SkipOrFail skips locally and fails under CI=true, where every
// prerequisite is installed on purpose (make test installs them).
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format+" (required in CI; make test installs it)", args...)
	}
	t.Skipf(format, args...)
}

// Need checks that every program is installed, else SkipOrFail.
func Need(t testing.TB, programs ...string) {
	t.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			SkipOrFail(t, "%s not installed: %v", p, err)
		}
	}
}

// RemoveBinaries deletes what Binaries built; call it from TestMain after
// m.Run.
func RemoveBinaries() {
	if binDir != "" {
		os.RemoveAll(binDir)
	}
}
