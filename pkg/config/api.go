package config

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// FilterDef is a filter.d file resolved for use: what the client would send
// for it to a jail, plus every resolved option.
type FilterDef struct {
	Name, File   string
	FailRegex    []string
	IgnoreRegex  []string
	PrefRegex    string
	DatePattern  string
	JournalMatch string
	UseDNS       string
	// MaxLines is the filter's maxlines, 1 when unset or not an integer.
	MaxLines int
	// Options holds every [Init] and [Definition] value after %(x)s and
	// <tag> substitution (and the arguments), as strings.
	Options map[string]string
}

// LoadFilter reads filter spec ("sshd", "sshd[mode=aggressive]", or a path
// to a .conf file) under dir (DefaultDir when empty). vars play the role of
// jail options: they take precedence in %(x)s look-ups, and a value for
// failregex, ignoreregex, prefregex, datepattern, journalmatch, maxlines or
// usedns replaces the filter's own. Like fail2ban's sample-log harness, no
// logtype is implied from a backend.
func LoadFilter(dir, spec string, vars map[string]string) (*FilterDef, error) {
	l := newLoader(Options{Dir: dir})
	name, args, err := Args(spec)
	if err != nil {
		return nil, fmt.Errorf("filter %q: %w", spec, err)
	}
	logical := name
	if strings.Contains(name, "/") {
		logical = strings.TrimSuffix(strings.TrimSuffix(absPath(name), ".conf"), ".local")
	}
	pOpts := sortedDict(vars)
	fields, err := l.filterCombined(logical, args, pOpts, false)
	if err != nil {
		return nil, fmt.Errorf("filter %q: %w", spec, err)
	}
	all, err := l.filterCombined(logical, args, pOpts, true)
	if err != nil {
		return nil, fmt.Errorf("filter %q: %w", spec, err)
	}
	for _, k := range []string{"failregex", "ignoreregex", "prefregex", "datepattern", "journalmatch", "maxlines", "usedns"} {
		if v, ok := vars[k]; ok {
			fields.Set(k, v)
		}
	}
	fd := &FilterDef{Name: filepath.Base(logical), File: l.stores[joinLogical("filter.d", logical)].firstFile(), Options: map[string]string{}}
	for i, k := range all.keys {
		fd.Options[k] = pyval.Str(all.vals[i])
	}
	fd.fill(fields)
	return fd, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func (st *store) firstFile() string {
	if st == nil || len(st.top) == 0 {
		return ""
	}
	return st.top[0]
}

func (l *loader) filterCombined(name string, args []Arg, pOpts *odict, all bool) (*odict, error) {
	fr, err := newDefReader(l, "filter.d", name, "", args, filterOpts)
	if err != nil {
		return nil, err
	}
	if err := fr.getOptions(pOpts, all); err != nil {
		return nil, err
	}
	return fr.combined(nil)
}

func (fd *FilterDef) fill(d *odict) {
	lines := func(k string) []string {
		var out []string
		v, _ := d.Get(k)
		if v == nil {
			return nil
		}
		for _, s := range strings.Split(pyval.Str(v), "\n") {
			if s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	str := func(k string) string {
		v, _ := d.Get(k)
		if v == nil {
			return ""
		}
		return pyval.Str(v)
	}
	fd.FailRegex, fd.IgnoreRegex = lines("failregex"), lines("ignoreregex")
	fd.PrefRegex, fd.DatePattern, fd.JournalMatch, fd.UseDNS = str("prefregex"), str("datepattern"), str("journalmatch"), str("usedns")
	fd.MaxLines = 1
	v, _ := d.Get("maxlines")
	switch n := v.(type) {
	case int64:
		fd.MaxLines = int(n)
	case string:
		if i, err := pyInt(n); err == nil {
			fd.MaxLines = int(i)
		}
	}
}

func sortedDict(m map[string]string) *odict {
	d := newODict()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d.Set(k, m[k])
	}
	return d
}

// Prop is one action property as sent in the stream's multi-set.
type Prop struct {
	Key   string
	Value any
}

// ActionDef is an action.d file resolved for one jail.
type ActionDef struct {
	Name, File string
	// ActName is the action's name in the jail (file name, or derived from
	// the name/actname arguments).
	ActName string
	// Props are the properties in stream order: the action commands with
	// %(x)s and <tag>s resolved, then the arguments and [Init] values raw.
	Props []Prop
}

// LoadAction reads action spec ("iptables[port=ssh]") under dir for a jail
// whose options are vars; vars["__name__"] names the jail ("jail" when
// absent).
func LoadAction(dir, spec string, vars map[string]string) (*ActionDef, error) {
	l := newLoader(Options{Dir: dir})
	name, args, err := Args(spec)
	if err != nil {
		return nil, fmt.Errorf("action %q: %w", spec, err)
	}
	jailName := vars["__name__"]
	if jailName == "" {
		jailName = "jail"
	}
	pOpts := sortedDict(vars)
	ar, err := newDefReader(l, "action.d", name, jailName, actionNames(jailName, name, args), actionOpts)
	if err != nil {
		return nil, fmt.Errorf("action %q: %w", spec, err)
	}
	if err := ar.getOptions(pOpts, false); err != nil {
		return nil, fmt.Errorf("action %q: %w", spec, err)
	}
	s, err := actionStream(ar)
	if err != nil {
		return nil, fmt.Errorf("action %q: %w", spec, err)
	}
	ad := &ActionDef{Name: name, File: ar.st.firstFile(), ActName: optString(ar.init, "actname")}
	for _, cmd := range s[1:] {
		ad.Props = append(ad.Props, propsOf(cmd)...)
	}
	return ad, nil
}

func propsOf(cmd []any) []Prop {
	if cmd[0] == "set" {
		return []Prop{{Key: pyval.Str(cmd[4]), Value: cmd[5]}}
	}
	var out []Prop
	for _, p := range cmd[4].([]any) {
		kv := p.([]any)
		out = append(out, Prop{Key: pyval.Str(kv[0]), Value: kv[1]})
	}
	return out
}
