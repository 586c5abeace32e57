//go:build !unix

package ini

import (
	"io"
	"os"
)

// readFile reads name to its end or to just past MaxFileSize.
// buf is not used here.
func readFile(name string, buf []byte) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}
