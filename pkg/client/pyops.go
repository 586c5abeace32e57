package client

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// The helpers below reproduce the Python operations beautifier.py applies
// to reply values, including when they raise (TypeError and friends), so
// that unexpected shapes fall back exactly where the Python client does.

// typeName is Python's type(v).__name__.
func typeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int, int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case pyval.Bytes:
		return "bytes"
	case []any:
		return "list"
	case pyval.Tuple:
		return "tuple"
	case pyval.Dict:
		return "dict"
	case pyval.Set:
		return "set"
	case pyval.FrozenSet:
		return "frozenset"
	case *pyval.Exception:
		return x.Name
	}
	return fmt.Sprintf("%T", v)
}

// concat is Python's str + v.
func concat(s string, v any) (string, error) {
	t, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("can only concatenate str (not %q) to str", typeName(v))
	}
	return s + t, nil
}

// pyLen is len(v).
func pyLen(v any) (int, error) {
	switch x := v.(type) {
	case string:
		return len([]rune(x)), nil
	case pyval.Bytes:
		return len(x), nil
	case []any:
		return len(x), nil
	case pyval.Tuple:
		return len(x), nil
	case pyval.Dict:
		return len(x), nil
	case pyval.Set:
		return len(x), nil
	case pyval.FrozenSet:
		return len(x), nil
	}
	return 0, fmt.Errorf("object of type '%s' has no len()", typeName(v))
}

// pySeq returns the items of a value that supports indexing and slicing.
func pySeq(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case pyval.Tuple:
		return x, nil
	case string:
		items := make([]any, 0, len(x))
		for _, r := range x {
			items = append(items, string(r))
		}
		return items, nil
	}
	return nil, fmt.Errorf("'%s' object is not subscriptable", typeName(v))
}

// pyIter returns the items iterating v yields.
func pyIter(v any) ([]any, error) {
	switch x := v.(type) {
	case pyval.Dict:
		keys := make([]any, len(x))
		for i, it := range x {
			keys[i] = it.Key
		}
		return keys, nil
	case pyval.Set:
		return x, nil
	case pyval.FrozenSet:
		return x, nil
	case pyval.Bytes:
		items := make([]any, len(x))
		for i, c := range x {
			items[i] = int64(c)
		}
		return items, nil
	}
	items, err := pySeq(v)
	if err != nil {
		return nil, fmt.Errorf("'%s' object is not iterable", typeName(v))
	}
	return items, nil
}

// index is v[i] (negative i counts from the end).
func index(v any, i int) (any, error) {
	items, err := pySeq(v)
	if err != nil {
		return nil, err
	}
	if i < 0 {
		i += len(items)
	}
	if i < 0 || i >= len(items) {
		return nil, fmt.Errorf("%s index out of range", typeName(v))
	}
	return items[i], nil
}

// join is sep.join(v).
func join(sep string, v any) (string, error) {
	items, err := pyIter(v)
	if err != nil {
		return "", fmt.Errorf("can only join an iterable")
	}
	parts := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			return "", fmt.Errorf("sequence item %d: expected str instance, %s found", i, typeName(it))
		}
		parts[i] = s
	}
	return strings.Join(parts, sep), nil
}

// joinStr is " ".join(map(str, items)).
func joinStr(items []any) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = Str(it)
	}
	return strings.Join(parts, " ")
}

// formatI is "%i" % v.
func formatI(v any) (string, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int:
		return strconv.Itoa(x), nil
	case *big.Int:
		return x.String(), nil
	case float64:
		// Python's int() of a float refuses these two
		if math.IsNaN(x) {
			return "", errors.New("cannot convert float NaN to integer")
		}
		if math.IsInf(x, 0) {
			return "", errors.New("cannot convert float infinity to integer")
		}
		f := new(big.Float).SetFloat64(x)
		i, _ := f.Int(nil)
		return i.String(), nil
	}
	return "", fmt.Errorf("%%i format: a real number is required, not %s", typeName(v))
}

// levelName is logging.getLevelName for an int level with fail2ban's
// extra names.
func levelName(n int64) string {
	names := map[int64]string{0: "NOTSET", 5: "HEAVY", 7: "TRACE", 10: "DEBUG", 18: "MSG",
		20: "INFO", 25: "NOTICE", 30: "WARNING", 40: "ERROR", 50: "CRITICAL"}
	if s, ok := names[n]; ok {
		return s
	}
	if n > 0 && n < 50 {
		return fmt.Sprintf("#%02d-Lev.", n)
	}
	return fmt.Sprintf("Level %d", n)
}

var errFormatArgs = errors.New("not enough arguments for format string")

func sprintf(format string, args []any) string { return fmt.Sprintf(format, args...) }
