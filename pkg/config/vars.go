package config

import "github.com/f2b/f2b/pkg/pyval"

// vars are configparser's "vars" of one read: option names looked up in
// lower case, values as Python's str(). They are a view of the dicts they
// come from, d updated by o, as those dicts stood when the view was made:
// building a map of them for every reader was a twentieth of a load's
// allocations, and most look-ups of a read miss.
//
// The view reads the first nd keys of d and no keys of o. The dicts may
// grow afterwards (a reader adds its [Init] options to o) but an entry
// the view reads must not change: newVars builds a map when o holds a
// known/ key, the one kind of entry a reader rewrites.
type vars struct {
	m      map[string]string // the fallback, see newVars
	d, o   *odict
	nd, no int
	bloom  [2]uint64 // bloomBit of each lower-cased name in the view
	// plain: every name in the view is its own lower case (the usual
	// case), so a name matches only itself
	plain bool
}

// newVars is the vars of d updated by o (either may be nil): d's keys in
// order, with o's value where o has the same key, then o's other keys in
// order; of two keys that lower-case alike the later wins, and None
// values are left out.
func newVars(d, o *odict) *vars {
	if d.Len()+o.Len() == 0 {
		return nil
	}
	if o.Len() > 0 && hasKnownKey(o.keys) {
		return &vars{m: varsMap(d, o)}
	}
	v := &vars{d: d, o: o, nd: d.Len(), no: o.Len(), plain: true}
	for i := 0; i < v.nd; i++ {
		v.addBloom(d.keys[i])
	}
	for i := 0; i < v.no; i++ {
		v.addBloom(o.keys[i])
	}
	return v
}

func (v *vars) addBloom(k string) {
	l := lower(k)
	if l != k {
		v.plain = false
	}
	b := bloomBit(l)
	v.bloom[b>>6] |= 1 << (b & 63)
}

// bloomBit hashes a lower-case name by its length and its first and last
// bytes: names that differ there are told apart without a scan.
func bloomBit(k string) uint {
	if k == "" {
		return 0
	}
	return (uint(len(k))*0x9e + uint(k[0])*0x3b + uint(k[len(k)-1])) & 127
}

// mayHold is false when neither dict of the view holds a key that
// lower-cases to k (a lower-case name): the filter answers for both
// dicts, also for keys whose value is None.
func (v *vars) mayHold(k string) bool {
	if v == nil {
		return false
	}
	if v.m != nil {
		return true
	}
	b := bloomBit(k)
	return v.bloom[b>>6]&(1<<(b&63)) != 0
}

// get looks up a lower-case name.
func (v *vars) get(k string) (string, bool) {
	if v == nil {
		return "", false
	}
	if v.m != nil {
		s, ok := v.m[k]
		return s, ok
	}
	if !v.mayHold(k) {
		return "", false
	}
	// The keys of o that d lacks come last, so the last of them that
	// lower-cases to k wins; then the last such key of d.
	for i := v.no - 1; i >= 0; i-- {
		if key := v.o.keys[i]; v.o.vals[i] != nil && v.is(key, k) && !v.inD(key) {
			return pyval.Str(v.o.vals[i]), true
		}
	}
	for i := v.nd - 1; i >= 0; i-- {
		key := v.d.keys[i]
		if !v.is(key, k) {
			continue
		}
		val := v.d.vals[i]
		if v.no > 0 {
			if j := v.o.find(key); j >= 0 && j < v.no {
				val = v.o.vals[j]
			}
		}
		if val != nil {
			return pyval.Str(val), true
		}
	}
	return "", false
}

func (v *vars) inD(key string) bool {
	if v.nd == 0 {
		return false
	}
	i := v.d.find(key)
	return i >= 0 && i < v.nd
}

// is reports whether the name key lower-cases to k.
func (v *vars) is(key, k string) bool {
	if v.plain {
		return key == k
	}
	return lower(key) == k
}

// varsMap is the vars of d updated by o as a map.
func varsMap(d, o *odict) map[string]string {
	m := make(map[string]string, d.Len()+o.Len())
	put := func(k string, v any) {
		if v != nil {
			m[lower(k)] = pyval.Str(v)
		}
	}
	for i := 0; i < d.Len(); i++ {
		k, v := d.keys[i], d.vals[i]
		if j := o.find(k); j >= 0 {
			v = o.vals[j]
		}
		put(k, v)
	}
	for i := 0; i < o.Len(); i++ {
		if k := o.keys[i]; d.Len() == 0 || d.find(k) < 0 {
			put(k, o.vals[i])
		}
	}
	return m
}
