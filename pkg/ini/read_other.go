//go:build !unix

package ini

import (
	"io"
	"os"
)

// readFile reads name to its end or to just past MaxFileSize.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}
