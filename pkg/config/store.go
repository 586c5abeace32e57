package config

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/f2b/f2b/pkg/ini"
)

// section holds the raw (uninterpolated) values of one merged section.
type section struct {
	name string
	pos  ini.Pos
	entries
	// shared: the entries belong to a parsed file's section and are
	// shared between stores; set copies them first.
	shared bool
}

// entries are a section's keys in order with their values alongside.
// Most sections hold a dozen keys or so, which a scan finds as fast as a
// map, without building one for each section of each file; a section
// grown past sectionScan keys gets an index. Only changes build it, so
// that sections shared between goroutines are only ever read.
type entries struct {
	keys []string
	vals []value
	idx  map[string]int // nil until needed, see find
}

// sectionScan is the size up to which a look-up scans the keys (as
// odictScan): jail sections with the known/ copies of their filter's
// options stay below it, the [DEFAULT] of jail.conf does not.
const sectionScan = 32

// value is a raw option value and where it was written.
type value struct {
	s   string
	pos ini.Pos
}

// find returns the position of k, -1 when absent.
func (e *entries) find(k string) int { return keyIndex(e.keys, e.idx, k) }

// put stores v at k, keeping the position of an existing key.
func (e *entries) put(k string, v value) {
	if i := e.find(k); i >= 0 {
		e.vals[i] = v
		return
	}
	e.keys, e.idx = addKey(e.keys, e.idx, k, sectionScan)
	e.vals = append(e.vals, v)
}

// newSection returns an empty section (most new sections adopt a file's
// frozen entries instead, see merge).
func newSection(name string, pos ini.Pos) *section {
	return &section{name: name, pos: pos}
}

// value returns the value of k and where it was written.
func (s *section) value(k string) (value, bool) {
	if s == nil {
		return value{}, false
	}
	if i := s.find(k); i >= 0 {
		return s.vals[i], true
	}
	return value{}, false
}

func (s *section) get(k string) (string, bool) {
	v, ok := s.value(k)
	return v.s, ok
}

func (s *section) set(k, v string, pos ini.Pos) {
	if s.shared {
		s.unshare()
	}
	s.put(k, value{v, pos})
}

func (s *section) unshare() { s.unshareFor(4) }

// unshareFor copies a shared section's entries with room for extra more
// keys.
func (s *section) unshareFor(extra int) {
	e := entries{
		keys: append(make([]string, 0, len(s.keys)+extra), s.keys...),
		vals: append(make([]value, 0, len(s.vals)+extra), s.vals...),
	}
	if s.idx != nil {
		e.idx = make(map[string]int, len(s.idx)+extra)
		for k, i := range s.idx {
			e.idx[k] = i
		}
	}
	s.entries, s.shared = e, false
}

// frozen is the read-only section view of one parsed file section
// (keys renamed for a conditional section), built once per file.
type frozen struct{ entries }

func freeze(fs *ini.Section, cond string) *frozen {
	fz := &frozen{entries{keys: make([]string, 0, len(fs.Keys)), vals: make([]value, 0, len(fs.Keys))}}
	for _, k := range fs.Keys {
		fz.put(k.Name+cond, value{k.Value, k.Pos})
	}
	return fz
}

// store is the merged view of one logical name (fail2ban's
// SafeConfigParserWithIncludes after reading its file list): [DEFAULT],
// the sections in first-appearance order and the hidden KNOWN/<section>
// history of overwritten values.
type store struct {
	defaults *section
	order    []string
	secs     map[string]*section
	files    []string
	top      []string // the logical name's own files, before includes
	// exCache holds resolved section-qualified look-ups; exMu guards it
	// because jails sharing a filter or action file are prepared on
	// another goroutine while later jails are read (the rest of a store
	// is read-only once built).
	exMu    sync.Mutex
	exCache map[string]string
	// initKnown is "known/"+k for each key k of [Init], by position,
	// made once for all the readers of this store (initKnownNames).
	initKnown     []string
	initKnownOnce sync.Once
	// foreignRef is set once an interpolation read another section's
	// option (%(sec/opt)s naming neither its own section, DEFAULT nor
	// known): see firstPasses.
	foreignRef atomic.Bool
	// memo spares readers of this store most of their tag substitution.
	memo combMemo
}

// initKnownNames returns "known/"+k for each key of the [Init] section,
// in its order (nil without the section).
func (st *store) initKnownNames() []string {
	st.initKnownOnce.Do(func() {
		keys := st.section("Init").keyList()
		if len(keys) == 0 {
			return
		}
		st.initKnown = make([]string, len(keys))
		for i, k := range keys {
			st.initKnown[i] = "known/" + k
		}
	})
	return st.initKnown
}

// keyList is the section's keys in order; nil for a nil section.
func (s *section) keyList() []string {
	if s == nil {
		return nil
	}
	return s.keys
}

func newStore() *store {
	return &store{defaults: newSection(ini.DefaultSection, ini.Pos{}), secs: map[string]*section{}}
}

const knownPrefix = "KNOWN/"

// sections lists the visible sections (not KNOWN/*).
func (st *store) sections() []string {
	out := make([]string, 0, len(st.order))
	for _, n := range st.order {
		if !strings.HasPrefix(n, knownPrefix) {
			out = append(out, n)
		}
	}
	return out
}

func (st *store) section(name string) *section { return st.secs[name] }

func (st *store) ensure(name string, pos ini.Pos) *section {
	s := st.secs[name]
	if s == nil {
		s = newSection(name, pos)
		st.secs[name] = s
		st.order = append(st.order, name)
	}
	return s
}

// merge overlays one parsed file, recording overwritten values in KNOWN/.
// Sections seen for the first time share the file's frozen maps.
func (st *store) merge(p *parsed) {
	f := p.file
	st.files = append(st.files, f.Name)
	for i, fs := range f.Sections {
		if fs.Name == ini.DefaultSection {
			if len(st.defaults.keys) == 0 {
				st.defaults.adopt(p.frozen[i])
				continue
			}
			for _, k := range fs.Keys {
				st.defaults.set(k.Name, k.Value, k.Pos)
			}
			continue
		}
		name, cond := splitConditional(fs.Name)
		old := st.secs[name]
		if old == nil {
			st.ensure(name, fs.Pos).adopt(p.frozen[i])
			continue
		}
		known := st.ensure(knownPrefix+name, fs.Pos)
		for i, k := range old.keys {
			if fs.Key(keyBase(k, cond)) != nil {
				known.set(k, old.vals[i].s, old.vals[i].pos)
			}
		}
		for _, k := range fs.Keys {
			old.set(k.Name+cond, k.Value, k.Pos)
		}
	}
}

// adopt makes an empty section share a frozen file section.
func (s *section) adopt(fz *frozen) {
	s.entries, s.shared = fz.entries, true
}

// keyBase maps a merged key back to the key name of a conditional file
// section ("k?family=inet6" -> "k" for cond "?family=inet6").
func keyBase(k, cond string) string {
	if cond == "" {
		return k
	}
	b, ok := strings.CutSuffix(k, cond)
	if !ok {
		return "\x00"
	}
	return b
}

// splitConditional splits "Init?family=inet6" into "Init", "?family=inet6"
// (fail2ban's ^(\w+)(\?.+)$).
func splitConditional(name string) (string, string) {
	i := strings.IndexByte(name, '?')
	if i <= 0 || i == len(name)-1 {
		return name, ""
	}
	for _, r := range name[:i] {
		if !isWord(r) {
			return name, ""
		}
	}
	return name[:i], name[i:]
}
