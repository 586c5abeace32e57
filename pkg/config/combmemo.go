package config

import (
	"bytes"
	"slices"
	"strings"
	"sync"

	"github.com/f2b/f2b/pkg/pyval"
)

// combMemo spares the tag substitution of a definition file's combined
// options (defReader.combined) for jails whose options differ from an
// earlier jail's only in the values of a few keys, each a plain word: the
// stock tree's 80 iptables-multiport actions differ in name, port and
// protocol, and substituting their ~50 tags each was a fifth of a load.
//
// The second such reader substitutes once with a placeholder (NUL, a
// letter, NUL) in place of each differing value and records the answers
// its tag look-ups outside the dict got; it and every later reader then
// check that their other values and those answers are the same, and put
// their own words where the placeholders ended up. This gives what
// substituting each reader's options directly gives because every step of
// substituteTags depends on the values only through where '<', '>' and
// ' ' are and through the look-ups of tag names, and a word without
// those three characters (and without NUL) changes neither, as long as no
// tag name looked up or checked contains a placeholder and none sits in
// text that could become a tag: such a run is not used. Anything else
// unusual (an error, a value that is not a plain word) also leaves each
// reader to substitute its own options.
type combMemo struct {
	mu      sync.Mutex
	entries []*combEntry
}

// combEntry is the memo of one ignore list and key list of one store.
type combEntry struct {
	ignore []string
	keys   []string
	base   []any // the first reader's values, before substitution
	// variants are substitutions with placeholders for a set of keys, each
	// read-only once made; a reader uses one whose set holds every key in
	// which it differs from base.
	variants []*combVariant
}

type combVariant struct {
	vary   []int      // positions of the keys with placeholders, ascending
	asked  []defValue // the look-ups outside the dict and their answers
	result []any      // substituted values with placeholders
	failed bool       // not usable: readers that need it substitute directly
}

// maxVary is how many differing values a memo takes (one letter each).
const maxVary = 26

// placeholder is the text standing for the k-th differing value.
func placeholder(k int) string { return "\x00" + string(rune('A'+k)) + "\x00" }

// substitute returns the substituted combined options of a reader (comb,
// ign as combined made them, ask its look-up outside the dict) from the
// memo; ok is false when the reader must substitute them itself.
func (m *combMemo) substitute(comb *odict, ignore []string, ign map[string]bool, ask func(string) (string, bool, error)) (*odict, bool) {
	m.mu.Lock()
	e := m.find(ignore, comb.keys)
	if e == nil {
		m.entries = append(m.entries, &combEntry{ignore: ignore, keys: comb.keys, base: append([]any(nil), comb.vals...)})
		m.mu.Unlock()
		return nil, false
	}
	diff, ok := e.diff(comb)
	if !ok {
		m.mu.Unlock()
		return nil, false
	}
	v := e.variant(diff)
	if v == nil {
		// One set for all that differ so far: later readers likely differ
		// in the same keys.
		v = &combVariant{vary: union(diff, e.variants)}
		v.prepare(comb, ign, ask) // under the lock: the other readers wait for it
		e.variants = append(e.variants, v)
	}
	m.mu.Unlock()
	if v.failed || !v.sameAnswers(ask) {
		return nil, false
	}
	return v.instantiate(comb), true
}

func (m *combMemo) find(ignore, keys []string) *combEntry {
	for _, e := range m.entries {
		if slices.Equal(e.ignore, ignore) && slices.Equal(e.keys, keys) {
			return e
		}
	}
	return nil
}

// diff lists the positions where comb's values differ from base; ok is
// false when one of those is not a plain word (or too many differ), or a
// value holds a NUL.
func (e *combEntry) diff(comb *odict) (diff []int, ok bool) {
	for i, v := range comb.vals {
		if s, isStr := v.(string); isStr && strings.IndexByte(s, 0) >= 0 {
			return nil, false
		}
		if v != e.base[i] {
			if !plainWord(v) || !plainWord(e.base[i]) || len(diff) == maxVary {
				return nil, false
			}
			diff = append(diff, i)
		}
	}
	return diff, true
}

// variant returns a variant whose keys include diff, nil for none.
func (e *combEntry) variant(diff []int) *combVariant {
	for _, v := range e.variants {
		if holds(v.vary, diff) {
			return v
		}
	}
	return nil
}

// holds reports whether the ascending set a includes the ascending set b.
func holds(a, b []int) bool {
	i := 0
	for _, x := range b {
		for i < len(a) && a[i] < x {
			i++
		}
		if i == len(a) || a[i] != x {
			return false
		}
	}
	return true
}

// union is diff with the keys of every variant, ascending, at most
// maxVary of them (diff itself when the union is larger).
func union(diff []int, variants []*combVariant) []int {
	in := map[int]bool{}
	for _, i := range diff {
		in[i] = true
	}
	for _, v := range variants {
		for _, i := range v.vary {
			in[i] = true
		}
	}
	if len(in) > maxVary {
		return diff
	}
	out := make([]int, 0, len(in))
	for i := range in {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// plainWord reports whether v is a string without the characters the
// substitution looks at ('<', '>', ' ') and without NUL.
func plainWord(v any) bool {
	s, ok := v.(string)
	return ok && !strings.ContainsAny(s, "<> \x00")
}

// prepare runs the substitution of comb with placeholders for the values
// of v.vary (each a plain word, as diff checked for the keys where comb
// differs from base, and the others are base's, which the memo's first
// reader may not have had as plain words), or marks v failed.
func (v *combVariant) prepare(comb *odict, ign map[string]bool, ask func(string) (string, bool, error)) {
	v.failed = true
	sym := comb.Copy()
	for k, i := range v.vary {
		if !plainWord(comb.vals[i]) {
			return
		}
		sym.vals[i] = placeholder(k)
	}
	var asked []defValue
	var marked bool
	addrepl := func(name string) (string, bool, error) {
		val, found, err := ask(name)
		if !slices.ContainsFunc(asked, func(a defValue) bool { return a.name == name }) {
			asked = append(asked, defValue{name, val, found})
		}
		return val, found, err
	}
	out, err := substituteTagsWatch(sym, ign, addrepl, &marked)
	if err != nil || marked {
		return
	}
	for _, val := range out.vals {
		if s, ok := val.(string); ok && placeholderInTag(s) {
			return
		}
	}
	v.asked, v.result, v.failed = asked, out.vals, false
}

// placeholderInTag reports whether a placeholder of s lies in text that
// could be part of a tag: after a '<' with no ' ' or '>' between.
func placeholderInTag(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != 0 {
			continue
		}
		j := strings.LastIndexAny(s[:i], "<> ")
		if j >= 0 && s[j] == '<' {
			return true
		}
		i += 2 // past the letter and the closing NUL
	}
	return false
}

// sameAnswers reports whether ask gives the answers the variant's
// substitution got.
func (v *combVariant) sameAnswers(ask func(string) (string, bool, error)) bool {
	for _, a := range v.asked {
		val, found, err := ask(a.name)
		if err != nil || found != a.found || val != a.v {
			return false
		}
	}
	return true
}

// instantiate puts the memo's result into comb (the reader's own copy),
// with comb's own values in place of the placeholders, and returns it.
func (v *combVariant) instantiate(comb *odict) *odict {
	out := comb
	words := make([]string, len(v.vary))
	for k, i := range v.vary {
		words[k] = pyval.Str(comb.vals[i])
	}
	var buf [512]byte // most values fit: no heap buffer
	b := buf[:0]
	for i, val := range v.result {
		s, ok := val.(string)
		if !ok || strings.IndexByte(s, 0) < 0 {
			out.vals[i] = val
			continue
		}
		b = b[:0]
		for {
			p := strings.IndexByte(s, 0)
			if p < 0 {
				b = append(b, s...)
				break
			}
			b = append(b, s[:p]...)
			b = append(b, words[s[p+1]-'A']...)
			s = s[p+3:]
		}
		out.vals[i] = string(b)
	}
	return out
}

// markedName reports whether a tag name holds a placeholder's NUL.
func markedName(name []byte) bool { return bytes.IndexByte(name, 0) >= 0 }
