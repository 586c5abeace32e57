package server

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// Request arguments arrive as Python values; these helpers convert them the
// way fail2ban's transmitter does (mostly str(), int() and bool-ish).

// arg returns cmd[i] or Python's IndexError.
func arg(cmd []any, i int) (any, error) {
	if i < 0 || i >= len(cmd) {
		return nil, errIndex()
	}
	return cmd[i], nil
}

// argStr returns str(cmd[i]).
func argStr(cmd []any, i int) (string, error) {
	v, err := arg(cmd, i)
	if err != nil {
		return "", err
	}
	return pyval.Str(v), nil
}

// strArgs returns str() of every element from i on.
func strArgs(cmd []any, i int) []string {
	if i >= len(cmd) {
		return nil
	}
	out := make([]string, 0, len(cmd)-i)
	for _, v := range cmd[i:] {
		out = append(out, pyval.Str(v))
	}
	return out
}

// toInt is Python's int(): ints pass, floats truncate, strings must be
// decimal literals.
func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case *big.Int:
		return x.Int64(), nil
	case float64:
		return int64(x), nil
	case string:
		s := strings.TrimSpace(strings.ReplaceAll(x, "_", ""))
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, errValue("invalid literal for int() with base 10: %s", pyval.Repr(x))
		}
		return n, nil
	}
	return 0, pyval.NewException("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '"+typeName(v)+"'")
}

// boolish is fail2ban's _boolean: true for True, 'true', '1', 'on', 'yes'.
func boolish(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x == 1
	case int:
		return x == 1
	case string:
		switch strings.ToLower(x) {
		case "true", "1", "on", "yes":
			return true
		}
	}
	return false
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case []any:
		return "list"
	case pyval.Tuple:
		return "tuple"
	case pyval.Dict:
		return "dict"
	case pyval.Bytes:
		return "bytes"
	}
	return "object"
}

// number returns an int64 when f is integral, else the float: fail2ban
// replies carry Python ints unless a float was involved.
func number(f float64) any {
	if f == float64(int64(f)) {
		return int64(f)
	}
	return f
}
