package config

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
)

// maxDepth is configparser's MAX_INTERPOLATION_DEPTH.
const maxDepth = 10

var (
	errNoSection = errors.New("no section")
	errNoOption  = errors.New("no option")
)

// InterpolationError reports a %(name)s problem in one option.
type InterpolationError struct {
	Section, Option, Msg string
}

func (e *InterpolationError) Error() string {
	return fmt.Sprintf("section %q: option %q: %s", e.Section, e.Option, e.Msg)
}

// lookup is configparser's ChainMap(vars, section, defaults) plus the keys
// fail2ban adds per interpolation level (__name__, sec/opt references).
type lookup struct {
	name  string            // __name__: the section being read
	local map[string]string // sec/opt references resolved for this level (copy-on-write)
	vars  *vars
	sec   *section
	def   *section
}

func (m *lookup) get(k string) (string, bool) {
	if k == "__name__" {
		return m.name, true
	}
	if v, ok := m.local[k]; ok {
		return v, true
	}
	if v, ok := m.vars.get(k); ok {
		return v, true
	}
	if v, ok := m.sec.get(k); ok {
		return v, true
	}
	return m.def.get(k)
}

// setLocal adds a level-local key, copying the inherited map first.
func (m *lookup) setLocal(k, v string) {
	c := make(map[string]string, len(m.local)+1)
	for k2, v2 := range m.local {
		c[k2] = v2
	}
	c[k] = v
	m.local = c
}

// get reads an option of a section interpolated with vars (configparser's
// get(section, option, vars=vars)).
func (st *store) get(sec, opt string, vars *vars) (string, error) {
	return st.getLower(sec, lower(opt), vars)
}

// getLower is get for an option name already in lower case (the names of
// the option templates, see optSpec): lower-casing a name costs a pass
// over it, for each of the thousands of options a tree's readers get.
func (st *store) getLower(sec, opt string, vars *vars) (string, error) {
	return st.getIn(sec, st.secs[sec], opt, vars)
}

// getIn is getLower with the section already looked up (s is
// st.secs[sec]): a template's options are read from one section, and
// looking it up again for each cost a string hash per option.
func (st *store) getIn(sec string, s *section, opt string, vars *vars) (string, error) {
	if s == nil && sec != "DEFAULT" {
		return "", errNoSection
	}
	m := &lookup{vars: vars, sec: s, def: st.defaults}
	v, ok := m.get(opt)
	if !ok {
		return "", errNoOption
	}
	if strings.IndexByte(v, '%') < 0 {
		return v, nil // nothing to interpolate: no copy
	}
	// The text is put together in a lent buffer and copied out at its
	// final size: growing a fresh builder for each value left one and a
	// half times its size behind, most of a load's interpolations.
	b := interpBufs.Get().(*interpBuf)
	defer interpBufs.Put(b)
	b.b = b.b[:0]
	if err := st.interpolate(sec, opt, b, v, m, 1); err != nil {
		return "", err
	}
	return string(b.b), nil
}

// interpBuf is the text one get interpolates into.
type interpBuf struct{ b []byte }

func (b *interpBuf) add(s string)   { b.b = append(b.b, s...) }
func (b *interpBuf) addByte(c byte) { b.b = append(b.b, c) }

// interpBufs lends interpBufs to get, which runs on several goroutines.
var interpBufs = sync.Pool{New: func() any { return new(interpBuf) }}

func (st *store) interpolate(sec, opt string, b *interpBuf, rest string, m *lookup, depth int) error {
	if depth > maxDepth {
		return &InterpolationError{sec, opt, "interpolation too deeply recursive (loop?)"}
	}
	level := *m
	level.name = sec
	m = &level
	st.mapSectionOptions(sec, rest, m)
	for rest != "" {
		p := strings.IndexByte(rest, '%')
		if p < 0 {
			b.add(rest)
			return nil
		}
		b.add(rest[:p])
		rest = rest[p:]
		switch {
		case strings.HasPrefix(rest, "%%"):
			b.addByte('%')
			rest = rest[2:]
		case strings.HasPrefix(rest, "%("):
			end := strings.Index(rest, ")s")
			close := strings.IndexByte(rest, ')')
			if close <= 2 || end != close {
				return &InterpolationError{sec, opt, fmt.Sprintf("bad interpolation variable reference %q", rest)}
			}
			name := lower(rest[2:close])
			rest = rest[close+2:]
			v, ok := m.get(name)
			if !ok {
				return &InterpolationError{sec, opt, fmt.Sprintf("interpolation key %q is not a valid option name", name)}
			}
			if !strings.Contains(v, "%") {
				b.add(v)
				continue
			}
			if err := st.interpolate(sec, opt, b, v, m, depth+1); err != nil {
				return err
			}
		default:
			return &InterpolationError{sec, opt, fmt.Sprintf("'%%' must be followed by '%%' or '(', found: %q", rest)}
		}
	}
	return nil
}

// mapSectionOptions resolves %(sec/opt)s references of rest into m
// (fail2ban's section-qualified and known/ look-ups).
func (st *store) mapSectionOptions(sec, rest string, m *lookup) {
	if !strings.Contains(rest, "/") || !strings.Contains(rest, "%(") {
		return
	}
	for _, ref := range sectionRefs(rest) {
		if _, ok := m.get(ref.full); ok {
			continue
		}
		if v, ok := st.sectionRef(sec, ref.sec, ref.opt); ok {
			m.setLocal(ref.full, v)
		}
	}
}

func (st *store) sectionRef(cur, sec, opt string) (string, bool) {
	switch strings.ToLower(sec) {
	case "default":
	case "known":
		if v, ok := st.secs[knownPrefix+cur].get(opt); ok {
			return v, true
		}
	default:
		if sec != cur {
			st.foreignRef.Store(true)
		}
		s := st.secs[sec]
		if s == nil {
			return "", false
		}
		if v, ok := s.get(opt); ok {
			return v, true
		}
	}
	return st.defaults.get(opt)
}

type sref struct{ full, sec, opt string }

// sectionRefs finds %(sec/opt)s references: %\(([\w\-]+/([^\)]+))\)s.
func sectionRefs(s string) []sref {
	var out []sref
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "%(")
		if j < 0 {
			break
		}
		start := i + j + 2
		if r, n, ok := matchRef(s[start:]); ok {
			out = append(out, r)
			i = start + n
			continue
		}
		i = start - 1
	}
	return out
}

func matchRef(s string) (sref, int, bool) {
	k := 0
	for k < len(s) {
		r, size := decodeRune(s[k:])
		if r != '-' && !isWord(r) {
			break
		}
		k += size
	}
	if k == 0 || k >= len(s) || s[k] != '/' {
		return sref{}, 0, false
	}
	close := strings.IndexByte(s[k+1:], ')')
	if close <= 0 || !strings.HasPrefix(s[k+1+close:], ")s") {
		return sref{}, 0, false
	}
	full := s[:k+1+close]
	return sref{full: full, sec: s[:k], opt: s[k+1 : k+1+close]}, k + 1 + close + 2, true
}

func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
