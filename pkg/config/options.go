package config

import (
	"strconv"
	"strings"
)

// optSpec is one entry of a reader's option template: its type ("string",
// "int", "bool"), name (in lower case) and default (nil = no default).
type optSpec struct {
	typ  string
	name string
	def  any
}

// getOptions reads the template's options of sec (fail2ban's
// ConfigReaderUnshared.getOptions): options given in pOpts are skipped,
// missing ones take their default, conversion errors fall back to it.
func (st *store) getOptions(sec string, specs []optSpec, pOpts *odict, shouldExist, convert bool) (*odict, error) {
	return st.getOptionsVars(sec, specs, pOpts.Has, newVars(pOpts, nil), shouldExist, convert)
}

// getOptionsVars is getOptions with the precedence options given as a
// test of their names and as vars. A template names each option once
// (TestOptSpecs_Unique), so the result is built by appending.
func (st *store) getOptionsVars(sec string, specs []optSpec, given func(string) bool, vars *vars, shouldExist, convert bool) (*odict, error) {
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
			out.add(o.name, o.def)
		case err == errNoOption:
			if o.def != nil {
				out.add(o.name, o.def)
			}
		case err != nil:
			return nil, err
		case !convert:
			out.add(o.name, v)
		default:
			if cv, ok := convertValue(o.typ, v); ok {
				out.add(o.name, cv)
			} else {
				out.add(o.name, o.def)
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
