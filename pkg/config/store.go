package config

import (
	"strings"
	"sync"

	"github.com/f2b/f2b/pkg/ini"
)

// section holds the raw (uninterpolated) values of one merged section.
type section struct {
	name string
	pos  ini.Pos
	keys []string
	vals map[string]value
	// shared: keys and vals belong to a parsed file's section and are
	// shared between stores; set copies them first.
	shared bool
}

// value is a raw option value and where it was written.
type value struct {
	s   string
	pos ini.Pos
}

// newSection returns an empty section; its map is made by the first set
// (most new sections adopt a file's frozen map instead, see merge).
func newSection(name string, pos ini.Pos) *section {
	return &section{name: name, pos: pos}
}

func (s *section) get(k string) (string, bool) {
	if s == nil {
		return "", false
	}
	v, ok := s.vals[k]
	return v.s, ok
}

func (s *section) set(k, v string, pos ini.Pos) {
	if s.shared {
		s.unshare()
	} else if s.vals == nil {
		s.vals = map[string]value{}
	}
	if _, ok := s.vals[k]; !ok {
		s.keys = append(s.keys, k)
	}
	s.vals[k] = value{v, pos}
}

func (s *section) unshare() { s.unshareFor(4) }

// unshareFor copies a shared section's keys and values with room for
// extra more keys.
func (s *section) unshareFor(extra int) {
	vals := make(map[string]value, len(s.vals)+extra)
	for k, v := range s.vals {
		vals[k] = v
	}
	s.keys = append(make([]string, 0, len(s.keys)+extra), s.keys...)
	s.vals, s.shared = vals, false
}

// frozen is the read-only section view of one parsed file section
// (keys renamed for a conditional section), built once per file.
type frozen struct {
	keys []string
	vals map[string]value
}

func freeze(fs *ini.Section, cond string) *frozen {
	fz := &frozen{keys: make([]string, 0, len(fs.Keys)), vals: make(map[string]value, len(fs.Keys))}
	for _, k := range fs.Keys {
		n := k.Name + cond
		if _, ok := fz.vals[n]; !ok {
			fz.keys = append(fz.keys, n)
		}
		fz.vals[n] = value{k.Value, k.Pos}
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
		for _, k := range old.keys {
			if fs.Key(keyBase(k, cond)) != nil {
				known.set(k, old.vals[k].s, old.vals[k].pos)
			}
		}
		for _, k := range fs.Keys {
			old.set(k.Name+cond, k.Value, k.Pos)
		}
	}
}

// adopt makes an empty section share a frozen file section.
func (s *section) adopt(fz *frozen) {
	s.keys, s.vals, s.shared = fz.keys, fz.vals, true
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
