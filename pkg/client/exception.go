package client

import (
	"fmt"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// oserrors are the builtin OSError subclasses whose str() shows errno.
var oserrors = map[string]bool{
	"OSError": true, "IOError": true, "EnvironmentError": true, "FileNotFoundError": true,
	"FileExistsError": true, "PermissionError": true, "IsADirectoryError": true,
	"NotADirectoryError": true, "ConnectionError": true, "ConnectionRefusedError": true,
	"ConnectionResetError": true, "BrokenPipeError": true, "TimeoutError": true,
	"InterruptedError": true, "ProcessLookupError": true, "ChildProcessError": true,
	"BlockingIOError": true, "ConnectionAbortedError": true,
}

// Str is Python's str() of v, including the exception types whose str()
// is not their message (OSError family, SyntaxError).
func Str(v any) string {
	exc, ok := v.(*pyval.Exception)
	if ok && isClass(exc, "UnknownJailException") && len(exc.Args) == 1 {
		return pyval.Repr(exc.Args[0]) // a KeyError subclass
	}
	if !ok || exc.Module != "builtins" {
		return pyval.Str(v)
	}
	a := exc.Args
	switch {
	case oserrors[exc.Name] && len(a) >= 2 && len(a) <= 5 && isInt(a[0]):
		s := fmt.Sprintf("[Errno %s] %s", pyval.Str(a[0]), pyval.Str(a[1]))
		if len(a) >= 3 {
			s += ": " + pyval.Repr(a[2])
		}
		return s
	case exc.Name == "SyntaxError" && len(a) == 2:
		return syntaxErrorStr(a)
	}
	return pyval.Str(v)
}

func isInt(v any) bool {
	switch v.(type) {
	case int64, int:
		return true
	}
	return false
}

// syntaxErrorStr renders SyntaxError(msg, (filename, lineno, …)).
func syntaxErrorStr(a []any) string {
	msg := pyval.Str(a[0])
	det, ok := a[1].(pyval.Tuple)
	if !ok || len(det) < 2 {
		return msg
	}
	file, hasFile := det[0].(string)
	if i := strings.LastIndexAny(file, "/"); i >= 0 {
		file = file[i+1:]
	}
	line, hasLine := det[1].(int64)
	switch {
	case hasFile && hasLine:
		return fmt.Sprintf("%s (%s, line %d)", msg, file, line)
	case hasFile:
		return fmt.Sprintf("%s (%s)", msg, file)
	case hasLine:
		return fmt.Sprintf("%s (line %d)", msg, line)
	}
	return msg
}

// BeautifyError renders a failed command's exception as fail2ban-client
// prints it on stdout.
func BeautifyError(exc *pyval.Exception) string {
	switch {
	case isClass(exc, "UnknownJailException") && len(exc.Args) > 0:
		if s, ok := exc.Args[0].(string); ok {
			return "Sorry but the jail '" + s + "' does not exist"
		}
	case exc.Name == "IndexError" && exc.Module == "builtins":
		return "Sorry but the command is invalid"
	case isClass(exc, "DuplicateJailException") && len(exc.Args) > 0:
		if s, ok := exc.Args[0].(string); ok {
			return "The jail '" + s + "' already exists"
		}
	}
	return Str(exc)
}

func isClass(exc *pyval.Exception, name string) bool {
	return exc.Module == "fail2ban.exceptions" && exc.Name == name
}
