//go:build unix

package ini

import (
	"io/fs"
	"syscall"
)

// readFile reads name to its end or to just past MaxFileSize with plain
// system calls: os.Open also tries to register every file with the
// runtime poller and sets flags on it (four extra calls that fail or do
// nothing for a regular file), which for the ~100 files of a tree cost a
// client run more than the reads. Errors are *fs.PathError, as os's.
//
// The data goes into buf when it is large enough (see ParseFile).
func readFile(name string, buf []byte) ([]byte, error) {
	fd, err := ignoringEINTR(func() (int, error) { return syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0) })
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	size, want := 512, -1
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) == nil && st.Size > 0 && st.Size <= MaxFileSize {
		want = int(st.Size)
		size = want + 1 // +1: a file that grew shows without a second buffer
	}
	data := buf[:0]
	if cap(data) < size {
		data = make([]byte, 0, size)
	}
	for len(data) <= MaxFileSize {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		room := cap(data) - len(data)
		n, err := ignoringEINTR(func() (int, error) { return syscall.Read(fd, data[len(data):cap(data)]) })
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return data, nil
		}
		data = data[:len(data)+n]
		if len(data) == want && n < room {
			// A short read of a regular file ends at its end, and the
			// size is the one fstat gave: the read that would return
			// 0 is one system call per file saved.
			return data, nil
		}
	}
	return data, nil
}

func ignoringEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != syscall.EINTR {
			return n, err
		}
	}
}
