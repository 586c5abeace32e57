// Package pyval models the Python values that travel through fail2ban's
// command stream and socket protocol, and prints them the way CPython does.
//
// It is a leaf package so that the config engine (which prints the stream
// like `fail2ban-client -d`), the pickle codec and the command dispatcher all
// agree on one representation without importing each other.
//
// Go types used for Python values:
//
//	None        nil
//	bool        bool
//	int         int64 (int is accepted too), *big.Int beyond 64 bits
//	float       float64
//	str         string
//	bytes       Bytes
//	list        []any
//	tuple       Tuple
//	dict        Dict (insertion-ordered, as Python 3.7+ dicts are)
//	set         Set
//	frozenset   FrozenSet
//	exception   *Exception
package pyval

// Tuple is a Python tuple.
type Tuple []any

// Bytes is a Python bytes object.
type Bytes []byte

// Set is a Python set; element order is the order they were decoded or added.
type Set []any

// FrozenSet is a Python frozenset.
type FrozenSet []any

// Item is one key/value pair of a Dict.
type Item struct {
	Key, Value any
}

// Dict is a Python dict, kept in insertion order.
type Dict []Item

// Get returns the value stored under key (compared with Equal).
func (d Dict) Get(key any) (any, bool) {
	for _, it := range d {
		if Equal(it.Key, key) {
			return it.Value, true
		}
	}
	return nil, false
}

// Exception is a Python exception instance, e.g. builtins.KeyError('x').
// Module and Name form the global reference a pickle names.
type Exception struct {
	Module string
	Name   string
	Args   []any
}

// Error implements error with Python's str() of the exception.
func (e *Exception) Error() string { return Str(e) }

// NewException returns an exception of a builtin type such as "KeyError".
func NewException(name string, args ...any) *Exception {
	return &Exception{Module: "builtins", Name: name, Args: args}
}
