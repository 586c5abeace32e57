package e2e

import (
	"os"
	"testing"

	"github.com/f2b/f2b/internal/testutil"
)

// TestMain removes the binaries built for this run.
func TestMain(m *testing.M) {
	code := m.Run()
	testutil.RemoveBinaries()
	os.Exit(code)
}
