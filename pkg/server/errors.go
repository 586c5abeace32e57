package server

import (
	"fmt"

	"github.com/f2b/f2b/pkg/pyval"
)

// Errors travel back to clients as pickled Python exceptions of classes the
// real fail2ban-client can import, so that it prints the same messages.

func errInvalidCommand() *pyval.Exception {
	return pyval.NewException("Exception", "Invalid command")
}

func errIndex() *pyval.Exception {
	return pyval.NewException("IndexError", "list index out of range")
}

func errUnknownJail(name any) *pyval.Exception {
	return &pyval.Exception{Module: "fail2ban.exceptions", Name: "UnknownJailException", Args: []any{name}}
}

func errDuplicateJail(name string) *pyval.Exception {
	return &pyval.Exception{Module: "fail2ban.exceptions", Name: "DuplicateJailException", Args: []any{name}}
}

func errValue(format string, args ...any) *pyval.Exception {
	return pyval.NewException("ValueError", fmt.Sprintf(format, args...))
}

func errKey(format string, args ...any) *pyval.Exception {
	return pyval.NewException("KeyError", fmt.Sprintf(format, args...))
}

func errRuntime(format string, args ...any) *pyval.Exception {
	return pyval.NewException("RuntimeError", fmt.Sprintf(format, args...))
}

func errException(format string, args ...any) *pyval.Exception {
	return pyval.NewException("Exception", fmt.Sprintf(format, args...))
}

func errRegex(format string, args ...any) *pyval.Exception {
	return &pyval.Exception{Module: "fail2ban.server.failregex", Name: "RegexException", Args: []any{fmt.Sprintf(format, args...)}}
}

func errFileNotFound(path string) *pyval.Exception {
	return &pyval.Exception{Module: "builtins", Name: "FileNotFoundError", Args: []any{int64(2), "No such file or directory", path}}
}

// asException turns any Go error into the exception a client receives.
func asException(err error) *pyval.Exception {
	if e, ok := err.(*pyval.Exception); ok {
		return e
	}
	return pyval.NewException("Exception", err.Error())
}
