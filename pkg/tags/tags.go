// Package tags holds the named groups a filter captured for a failure
// (fail2ban's ticket data: <F-USER>, an F-ID's "ip", …) as a short list
// of name/value pairs.
//
// A failure carries a handful of groups at most, so a slice beats a map:
// it is built without hashing, can share the allocation of the failure
// that holds it, and keeps a deterministic order. A List handed out (a
// failure's Data) is read-only; Set, Delete and Update change the
// caller's own list.
package tags

import "strings"

// Tag is one captured group.
type Tag struct {
	Name, Value string
}

// List is a set of tags with distinct names.
type List []Tag

// Get returns the value of name; ok false when the list has no such tag.
func (l List) Get(name string) (value string, ok bool) {
	for i := range l {
		if l[i].Name == name {
			return l[i].Value, true
		}
	}
	return "", false
}

// Has reports whether the list has a tag name.
func (l List) Has(name string) bool {
	_, ok := l.Get(name)
	return ok
}

// Map returns the tags as a new map (nil for an empty list).
func (l List) Map() map[string]string {
	if len(l) == 0 {
		return nil
	}
	m := make(map[string]string, len(l))
	for _, t := range l {
		m[t.Name] = t.Value
	}
	return m
}

// AppendMap appends m's entries to dst, those appended sorted by name (a
// map has no order of its own; sorting keeps lists built from equal maps
// equal).
func AppendMap(dst List, m map[string]string) List {
	n := len(dst)
	for k, v := range m {
		dst = append(dst, Tag{Name: k, Value: v})
	}
	dst[n:].Sort()
	return dst
}

// AppendSorted appends src to dst, the appended tags sorted by name.
func AppendSorted(dst, src List) List {
	n := len(dst)
	dst = append(dst, src...)
	dst[n:].Sort()
	return dst
}

// Sort orders l by name, in place. Lists are short: an insertion sort
// beats a general one and allocates nothing.
func (l List) Sort() {
	for i := 1; i < len(l); i++ {
		for j := i; j > 0 && l[j].Name < l[j-1].Name; j-- {
			l[j], l[j-1] = l[j-1], l[j]
		}
	}
}

// Set gives name the value, replacing its tag or appending one; l must be
// the caller's own list (not one handed out read-only).
func (l List) Set(name, value string) List {
	if i := l.index(name); i >= 0 {
		l[i].Value = value
		return l
	}
	return append(l, Tag{Name: name, Value: value})
}

// Delete removes name's tag, if any, keeping the order of the rest; l
// must be the caller's own list.
func (l List) Delete(name string) List {
	if i := l.index(name); i >= 0 {
		return append(l[:i], l[i+1:]...)
	}
	return l
}

// Update is Merge into a list the caller owns: l changes in place (and
// may grow).
func (l List) Update(u List) List {
	for _, t := range u {
		l = l.Set(t.Name, t.Value)
	}
	return l
}

func (l List) index(name string) int {
	for i := range l {
		if l[i].Name == name {
			return i
		}
	}
	return -1
}

// String renders the list as name=value pairs, for logs and test failures.
func (l List) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, t := range l {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t.Name)
		b.WriteByte('=')
		b.WriteString(t.Value)
	}
	b.WriteByte('}')
	return b.String()
}
