package client

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"github.com/f2b/f2b/pkg/pyval"
)

// Exit statuses of fail2ban-client.
const (
	ExitOK    = 0
	ExitError = 255
)

// ServerError is a (1, exception) reply: the command failed on the server.
type ServerError struct {
	Exc *pyval.Exception
}

func (e *ServerError) Error() string { return "server: " + Str(e.Exc) }

// NOK is the text fail2ban-client logs at ERROR level for a failed
// command: "NOK: " + repr(exc.args).
func (e *ServerError) NOK() string { return "NOK: " + pyval.Repr(pyArgs(e.Exc)) }

// pyArgs is exc.args as Python shows it: an OSError built with a filename
// keeps only (errno, strerror) in args.
func pyArgs(exc *pyval.Exception) pyval.Tuple {
	a := exc.Args
	if exc.Module == "builtins" && oserrors[exc.Name] && len(a) >= 3 && len(a) <= 5 && isInt(a[0]) {
		a = a[:2]
	}
	return pyval.Tuple(a)
}

// ReplyError is a reply that is not a (code, value) tuple, such as the bare
// "ERROR: …" string a server sends when it could not read the request.
type ReplyError struct {
	Reply any
}

func (e *ReplyError) Error() string {
	return fmt.Sprintf("unexpected reply %s", pyval.Repr(e.Reply))
}

// DialError is a failure to reach the server; its message is the one
// fail2ban-client prints for the same situation.
type DialError struct {
	Socket string
	Err    error
}

func (e *DialError) Unwrap() error { return e.Err }

func (e *DialError) Error() string {
	if _, err := os.Stat(e.Socket); errors.Is(err, os.ErrNotExist) {
		return fmt.Sprintf("Failed to access socket path: %s. Is fail2ban running?", e.Socket)
	}
	return fmt.Sprintf("[%s] Unable to contact server. Is it running?", pythonOSError(e.Err))
}

// pythonOSError formats err like Python's str(OSError): "[Errno 111]
// Connection refused".
func pythonOSError(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg := errno.Error()
		if msg != "" {
			msg = strings.ToUpper(msg[:1]) + msg[1:]
		}
		return fmt.Sprintf("[Errno %d] %s", int(errno), msg)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return "timed out"
	}
	return err.Error()
}

// ExitCode maps the result of a command to fail2ban-client's exit status.
func ExitCode(err error) int {
	if err != nil {
		return ExitError
	}
	return ExitOK
}
