package protocol

import (
	"fmt"

	"github.com/f2b/f2b/pkg/pyval"
)

// Args returns a decoded request as the argument list the dispatcher
// indexes, mirroring what fail2ban's transmitter does with objects that
// are not lists (it only ever does command[0] and command[1:]):
//   - a list is used as is and a tuple like a list (observed);
//   - a str indexes to its characters, so 'ping' is the command "p" and
//     fails with Invalid command (observed);
//   - a dict fails with KeyError(0) (observed for {'a': 1});
//   - anything else fails with TypeError "… is not subscriptable".
//
// An empty list is returned as is: the dispatcher answers it with
// IndexError('list index out of range'), as fail2ban does.
func Args(req any) ([]any, *pyval.Exception) {
	switch x := req.(type) {
	case []any:
		return x, nil
	case pyval.Tuple:
		return []any(x), nil
	case string:
		chars := make([]any, 0, len(x))
		for _, r := range x {
			chars = append(chars, string(r))
		}
		return chars, nil
	case pyval.Dict:
		return nil, pyval.NewException("KeyError", int64(0))
	}
	return nil, pyval.NewException("TypeError", fmt.Sprintf("'%s' object is not subscriptable", typeName(req)))
}
