package config

import (
	"strconv"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// optSpec is one entry of a reader's option template: its type ("string",
// "int", "bool"), name (in lower case) and default (nil = no default).
type optSpec struct {
	typ  string
	name string
	def  any
}

// varsOf turns a dict into configparser "vars": lower-cased keys, values
// as Python's str(); None values are left out.
func varsOf(d *odict) map[string]string {
	if d.Len() == 0 {
		return nil
	}
	m := make(map[string]string, d.Len())
	for i, k := range d.keys {
		if v := d.vals[i]; v != nil {
			m[lower(k)] = pyval.Str(v)
		}
	}
	return m
}

// varsOfMerged is varsOf(d.merged(o)) without building the merged dict:
// d's keys in order, with o's value where o has the same key, then o's
// other keys in order (later keys win when two lower-case alike).
func varsOfMerged(d, o *odict) map[string]string {
	if o.Len() == 0 {
		return varsOf(d)
	}
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
	for i, k := range o.keys {
		if d.Len() == 0 || d.find(k) < 0 {
			put(k, o.vals[i])
		}
	}
	return m
}

// getOptions reads the template's options of sec (fail2ban's
// ConfigReaderUnshared.getOptions): options given in pOpts are skipped,
// missing ones take their default, conversion errors fall back to it.
func (st *store) getOptions(sec string, specs []optSpec, pOpts *odict, shouldExist, convert bool) (*odict, error) {
	return st.getOptionsVars(sec, specs, pOpts.Has, varsOf(pOpts), shouldExist, convert)
}

// getOptionsVars is getOptions with the precedence options given as a
// test of their names and as vars.
func (st *store) getOptionsVars(sec string, specs []optSpec, given func(string) bool, vars map[string]string, shouldExist, convert bool) (*odict, error) {
	out := &odict{keys: make([]string, 0, len(specs)), vals: make([]any, 0, len(specs))}
	s := st.secs[sec]
	for _, o := range specs {
		if given(o.name) {
			continue
		}
		v, err := st.getIn(sec, s, o.name, vars)
		switch {
		// getLower returns these two bare: == spares errors.Is's walk,
		// ~100 instructions for each option a template leaves unset.
		case err == errNoSection:
			if shouldExist {
				return nil, err
			}
			out.Set(o.name, o.def)
		case err == errNoOption:
			if o.def != nil {
				out.Set(o.name, o.def)
			}
		case err != nil:
			return nil, err
		case !convert:
			out.Set(o.name, v)
		default:
			if cv, ok := convertValue(o.typ, v); ok {
				out.Set(o.name, cv)
			} else {
				out.Set(o.name, o.def)
			}
		}
	}
	return out, nil
}

// convertValue applies fail2ban's CONVERTER ("int" is Python int(),
// "bool" is _as_bool); ok is false when an int does not parse.
func convertValue(typ string, v any) (any, bool) {
	s, isStr := v.(string)
	if !isStr {
		return v, true
	}
	switch typ {
	case "int":
		n, err := pyInt(s)
		if err != nil {
			return nil, false
		}
		return n, true
	case "bool":
		return asBool(s), true
	}
	return v, true
}

func asBool(s string) bool {
	switch strings.ToLower(s) {
	case "1", "on", "true", "yes":
		return true
	}
	return false
}

// pyInt parses like Python's int(str): surrounding whitespace, a sign and
// single underscores between digits are allowed.
func pyInt(s string) (int64, error) {
	s = pyStrip(s)
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" || body[0] == '_' || body[len(body)-1] == '_' || strings.Contains(body, "__") {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
}
