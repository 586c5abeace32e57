package server

import (
	"io"
	"net"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
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
//
// A connection whose client answers quickly (one request right after the
// other's reply, as a load test or a burst of `attempt` commands from one
// PHP worker) also skips the poller on the way in: Read polls the socket
// for up to spinFor before it parks, as an adaptive mutex spins before it
// sleeps. Parking and the wake-up through epoll and the scheduler cost
// more than the client's whole turn. At most one connection spins at a
// time (spinners), only with two or more Ps, and only while its recent
// spins mostly caught a request (score): an idle keep-alive connection
// costs one spin, not one per request, and a machine too busy for the
// client to answer within spinFor soon sees none.
type rawIO struct {
	rc syscall.RawConn
	// score rates recent spins: a spin that caught a request adds one
	// (up to spinScoreMax), one that ran out takes spinPenalty, a request
	// soon after a park adds one; the next Read spins while it is
	// positive. On a busy machine, where the client's turn is often late,
	// most spins fail and spinning all but stops.
	score int8
}

const (
	spinScoreMax = 8
	spinPenalty  = 4
)

// spinFor bounds a Read's polling before it parks: a little more than a
// quick client's turn (read the reply, send the next request).
const spinFor = 25 * time.Microsecond

// hotWithin: a request that comes this soon after its Read parked raises
// the score (a client a little slower than spinFor keeps trying; an idle
// one does not).
const hotWithin = 200 * time.Microsecond

// spinners is 1 while some connection spins.
var spinners atomic.Int32

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
	spin := r.score > 0 && multiP() && spinners.CompareAndSwap(0, 1)
	var parked time.Time
	err := r.rc.Read(func(fd uintptr) bool {
		n, errno = rawCall(syscall.SYS_READ, fd, p)
		if errno != syscall.EAGAIN {
			if !parked.IsZero() && time.Since(parked) < hotWithin && r.score < spinScoreMax {
				r.score++
			}
			return true
		}
		if spin {
			spin = false
			caught := r.spinRead(fd, p, &n, &errno)
			spinners.Store(0)
			if caught {
				r.score = min(r.score+1, spinScoreMax)
				return true
			}
			r.score = max(r.score-spinPenalty, -spinScoreMax)
		}
		if parked.IsZero() {
			parked = time.Now()
		}
		return false
	})
	if spin { // the callback never ran (Close, deadline)
		spinners.Store(0)
	}
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

// spinRead retries read(2) on the non-blocking fd for up to spinFor;
// false when nothing came.
func (r *rawIO) spinRead(fd uintptr, p []byte, n *int, errno *syscall.Errno) bool {
	deadline := time.Now().Add(spinFor)
	for time.Now().Before(deadline) {
		if *n, *errno = rawCall(syscall.SYS_READ, fd, p); *errno != syscall.EAGAIN {
			return true
		}
	}
	return false
}

// multiP reports whether a spinning connection leaves a P for the rest.
func multiP() bool { return runtime.GOMAXPROCS(0) > 1 }

// Write is net.Conn's Write: all of p, or an error. A reply larger than
// the socket buffer waits for room through the network poller.
func (r *rawIO) Write(p []byte) (int, error) { return r.write(p, true) }

// TryWrite writes what the socket buffer takes at once, without waiting
// for room (protocol.TryWriter): a reply written while holding the attempt
// gate must not wait on a client that does not read.
func (r *rawIO) TryWrite(p []byte) (int, error) { return r.write(p, false) }

// write writes p; when the socket buffer is full it waits for room (wait)
// or returns what went out so far.
func (r *rawIO) write(p []byte, wait bool) (int, error) {
	written := 0
	var errno syscall.Errno
	err := r.rc.Write(func(fd uintptr) bool {
		for written < len(p) {
			var n int
			n, errno = rawCall(syscall.SYS_WRITE, fd, p[written:])
			if errno == syscall.EAGAIN {
				errno = 0
				return !wait
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
