package client

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestDeps keeps the client small: it must not link the server side.
func TestDeps(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goBin, "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	bad := []string{"/pkg/store", "/pkg/jail", "/pkg/server", "/pkg/filter", "/pkg/action",
		"/pkg/backend", "/pkg/config", "modernc.org/sqlite", "gopickle", "go-systemd"}
	for _, dep := range strings.Fields(string(out)) {
		for _, b := range bad {
			if strings.Contains(dep, b) {
				t.Errorf("pkg/client depends on %s", dep)
			}
		}
	}
}
