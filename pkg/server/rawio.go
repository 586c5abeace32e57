package server

import (
	"io"
	"net"
	"syscall"
	"unsafe"
)

// rawIO reads and writes a connection's non-blocking socket with raw
// system calls, waiting through Go's network poller as net.Conn does.
//
// Why: net.Conn's Read and Write enter the scheduler's system call state
// (entersyscall/exitsyscall) around read(2) and write(2), in case the call
// blocks. On a non-blocking socket it never does, and on a mostly idle
// server that state change also wakes the runtime's sysmon thread from its
// idle sleep, a futex wake and a context switch for every request on top
// of the request's own two system calls. One-request-at-a-time clients
// (`set <jail> attempt` from a web application) pay it on every round trip.
type rawIO struct {
	rc syscall.RawConn
}

// newRawIO returns raw I/O for c, or nil when c is not a socket with a
// file descriptor (a net.Pipe in tests).
func newRawIO(c net.Conn) *rawIO {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return &rawIO{rc: rc}
}

// Read is net.Conn's Read: at least one byte, io.EOF once the peer has
// closed its end, or an error (a deadline or Close ends the wait).
func (r *rawIO) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	var n int
	var errno syscall.Errno
	err := r.rc.Read(func(fd uintptr) bool {
		n, errno = rawCall(syscall.SYS_READ, fd, p)
		return errno != syscall.EAGAIN
	})
	switch {
	case err != nil:
		return 0, err
	case errno != 0:
		return 0, &net.OpError{Op: "read", Net: "unix", Err: errno}
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// Write is net.Conn's Write: all of p, or an error. A reply larger than
// the socket buffer waits for room through the network poller.
func (r *rawIO) Write(p []byte) (int, error) {
	written := 0
	var errno syscall.Errno
	err := r.rc.Write(func(fd uintptr) bool {
		for written < len(p) {
			var n int
			n, errno = rawCall(syscall.SYS_WRITE, fd, p[written:])
			if errno == syscall.EAGAIN {
				errno = 0
				return false
			}
			if errno != 0 {
				return true
			}
			written += n
		}
		return true
	})
	switch {
	case err != nil:
		return written, err
	case errno != 0:
		return written, &net.OpError{Op: "write", Net: "unix", Err: errno}
	}
	return written, nil
}

// rawCall is read(2) or write(2) on fd, retried on EINTR. It must only be
// used on non-blocking descriptors: it does not tell the scheduler.
func rawCall(trap, fd uintptr, p []byte) (int, syscall.Errno) {
	for {
		n, _, errno := syscall.RawSyscall(trap, fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
		if errno != syscall.EINTR {
			return int(n), errno
		}
	}
}
