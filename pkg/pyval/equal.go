package pyval

import "math/big"

// Equal reports whether a and b are equal Python values (== semantics for
// the types this package models: 1 == 1.0 == True, lists compare by items).
func Equal(a, b any) bool {
	if na, ok := number(a); ok {
		if nb, ok := number(b); ok {
			return na.Cmp(nb) == 0
		}
		return false
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case Bytes:
		y, ok := b.(Bytes)
		return ok && string(x) == string(y)
	case []any:
		y, ok := b.([]any)
		return ok && equalSeq(x, y)
	case Tuple:
		y, ok := b.(Tuple)
		return ok && equalSeq(x, y)
	case Dict:
		y, ok := b.(Dict)
		if !ok || len(x) != len(y) {
			return false
		}
		for _, it := range x {
			v, ok := y.Get(it.Key)
			if !ok || !Equal(it.Value, v) {
				return false
			}
		}
		return true
	case Set:
		y, ok := b.(Set)
		return ok && equalUnordered(x, y)
	case FrozenSet:
		y, ok := b.(FrozenSet)
		return ok && equalUnordered(x, y)
	case *Exception:
		y, ok := b.(*Exception)
		return ok && x.Module == y.Module && x.Name == y.Name && equalSeq(x.Args, y.Args)
	}
	return false
}

func number(v any) (*big.Float, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return big.NewFloat(1), true
		}
		return big.NewFloat(0), true
	case int:
		return new(big.Float).SetInt64(int64(x)), true
	case int64:
		return new(big.Float).SetInt64(x), true
	case *big.Int:
		return new(big.Float).SetInt(x), true
	case float64:
		if x != x { // NaN equals nothing
			return nil, false
		}
		return big.NewFloat(x), true
	}
	return nil, false
}

func equalSeq(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func equalUnordered(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
outer:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && Equal(x, y) {
				used[j] = true
				continue outer
			}
		}
		return false
	}
	return true
}
