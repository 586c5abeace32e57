package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/f2b/f2b/pkg/ini"
	"github.com/f2b/f2b/pkg/pyval"
	"github.com/f2b/f2b/pkg/version"
)

// Version is the fail2ban version the client reports to configs
// (%(fail2ban_version)s) and the protocol expects.
const Version = version.Fail2banVersion

var (
	jailOpts1st = []optSpec{{"bool", "enabled", false}, {"string", "backend", "auto"}, {"string", "filter", ""}}
	jailOpts    = append([]optSpec{
		{"bool", "enabled", false}, {"string", "backend", "auto"}, {"int", "maxretry", nil},
		{"int", "maxmatches", nil}, {"string", "findtime", nil}, {"string", "bantime", nil},
		{"bool", "bantime.increment", nil}, {"string", "bantime.factor", nil},
		{"string", "bantime.formula", nil}, {"string", "bantime.multipliers", nil},
		{"string", "bantime.maxtime", nil}, {"string", "bantime.rndtime", nil},
		{"bool", "bantime.overalljails", nil}, {"string", "ignorecommand", nil},
		{"bool", "ignoreself", nil}, {"string", "ignoreip", nil}, {"string", "ignorecache", nil},
		{"string", "filter", ""}, {"string", "logtimezone", nil}, {"string", "logencoding", nil},
		{"string", "logpath", nil}, {"string", "action", ""},
	}, filterOpts...)
)

// jailDefError is a per-jail configuration error: the jail is replaced by a
// config-error entry and the rest of the tree still loads.
type jailDefError struct{ msg string }

func (e *jailDefError) Error() string { return e.msg }

// jail is one jail section being read (fail2ban's JailReader).
type jail struct {
	name    string
	pos     ini.Pos
	opts    *odict
	filter  *defReader
	actions []any // *defReader or a ready python-action command
	cfgErr  string
	prep    *prepared   // set by prepare once the jail is read
	claimed atomic.Bool // a goroutine has taken the jail to prepare it
	// logFiles is shared by the jails of one load (nil: none).
	logFiles *logFiles
	// first is the first pass of the options when firstPasses computed
	// it for this reading (nil: readJail computes it).
	first *odict
}

func (j *jail) enabled() bool {
	v, _ := j.opts.Get("enabled")
	b, _ := v.(bool)
	return b
}

func optString(d *odict, k string) string {
	v, _ := d.Get(k)
	s, _ := v.(string)
	return s
}

// read runs the jail reader's two passes; a jailDefError is recorded in
// j.cfgErr, any other error is fatal for the whole configuration.
func (l *loader) readJail(j *jail) error {
	err := l.jailOptions(j)
	if de, ok := err.(*jailDefError); ok {
		if j.opts == nil {
			j.opts = newODict()
		}
		j.cfgErr = de.msg
		return nil
	}
	return err
}

func (l *loader) jailOptions(j *jail) error {
	opts, err := j.first, error(nil)
	if opts == nil {
		if opts, err = l.jails.getOptions(j.name, jailOpts1st, nil, true, true); err != nil {
			return err
		}
	}
	j.opts = opts
	if !j.enabled() {
		return nil
	}
	if err := l.jailFilter(j); err != nil {
		return err
	}
	if j.opts, err = l.jails.getOptions(j.name, jailOpts, nil, false, true); err != nil {
		return err
	}
	if j.filter != nil {
		if err := j.filter.getOptions(j.opts, false); err != nil {
			return err
		}
	}
	for _, act := range splitActions(optString(j.opts, "action")) {
		if err := l.jailAction(j, pyStrip(act)); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) jailFilter(j *jail) error {
	flt := optString(j.opts, "filter")
	if flt == "" {
		l.log.Warn("no filter set for jail", "jail", j.name)
		return nil
	}
	name, args, err := Args(flt)
	if err != nil {
		return &jailDefError{fmt.Sprintf("Invalid filter definition %s: %s", pyval.Repr(flt), err)}
	}
	file := joinLogical("filter.d", name)
	st, err := l.read(file)
	if err != nil {
		if isReadError(err) {
			return &jailDefError{fmt.Sprintf("Unable to read the filter %s", pyval.Repr(name))}
		}
		return err
	}
	// The reader of the filter is only made here when the prefetch did
	// not read it already from the same store.
	var comb *odict
	if s, ok := l.prefetch.filterOf(j.name, st, flt, j.opts); ok {
		j.filter, comb = s.fr, s.comb
	} else {
		j.filter = defReaderOf(st, file, name, j.name, args, filterOpts)
		if comb, err = filterOptions(j.filter, j.opts); err != nil {
			return err
		}
	}
	sec := l.jails.section(j.name)
	if sec.shared {
		sec.unshareFor(len(comb.keys))
	}
	for i, k := range comb.keys {
		if !strings.HasPrefix(k, "known/") && k != "__name__" {
			sec.set(l.knownName(k), pyval.Str(comb.vals[i]), sec.pos)
		}
	}
	return nil
}

// knownName is "known/"+k, made once per load for each of the few filter
// option names that every jail copies.
func (l *loader) knownName(k string) string {
	if n, ok := l.known[k]; ok {
		return n
	}
	if l.known == nil {
		l.known = map[string]string{}
	}
	n := "known/" + k
	l.known[k] = n
	return n
}

// filterOptions reads a jail's filter with the jail's first-pass options
// and returns all its options combined, tags substituted.
func filterOptions(fr *defReader, opts *odict) (*odict, error) {
	backend := optString(opts, "backend")
	if v, _ := fr.init.Get("logtype"); isFalsy(v) && !fr.st.section("Definition").has("logtype") {
		lt := "file"
		if strings.HasPrefix(backend, "systemd") {
			lt = "journal"
		}
		fr.init.Set("logtype", lt)
	}
	if err := fr.getOptions(opts, true); err != nil {
		return nil, err
	}
	return fr.combined(nil)
}

func isFalsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	}
	return false
}

func (s *section) has(k string) bool { _, ok := s.get(k); return ok }

func (l *loader) jailAction(j *jail, act string) error {
	if act == "" {
		return nil
	}
	name, args, err := Args(act)
	if err != nil {
		return &jailDefError{fmt.Sprintf("Invalid action definition %s: %s", pyval.Repr(act), err)}
	}
	if strings.HasSuffix(name, ".py") {
		j.actions = append(j.actions, pythonAction(l.dir, j.name, name, args))
		return nil
	}
	args = actionNames(j.name, name, args)
	ar, err := newDefReader(l, "action.d", name, j.name, args, actionOpts)
	if err != nil {
		if isReadError(err) {
			return &jailDefError{fmt.Sprintf("Unable to read action %s", pyval.Repr(name))}
		}
		return fmt.Errorf("error in action definition %s: %w", pyval.Repr(act), err)
	}
	if err := ar.getOptions(j.opts, false); err != nil {
		return fmt.Errorf("error in action definition %s: %w", pyval.Repr(act), err)
	}
	j.actions = append(j.actions, ar)
	return nil
}

// actionNames fills in the "name" (jail name) and "actname" arguments.
func actionNames(jailName, file string, args []Arg) []Arg {
	n, hasName := argValue(args, "name")
	if !hasName {
		n = jailName
		args = append(args, Arg{"name", n})
	}
	if _, ok := argValue(args, "actname"); !ok {
		actname := file
		if n != jailName {
			if rest, ok := strings.CutPrefix(n, jailName); ok {
				actname += rest
			} else {
				actname += "-" + n
			}
		}
		args = append(args, Arg{"actname", actname})
	}
	return args
}

func argValue(args []Arg, k string) (string, bool) {
	for _, a := range args {
		if a.Key == k {
			return a.Value, true
		}
	}
	return "", false
}

func pythonAction(dir, jailName, file string, args []Arg) []any {
	actname := strings.TrimSuffix(file, filepath.Ext(file))
	var rest []Arg
	for _, a := range args {
		if a.Key == "actname" {
			actname = a.Value
			continue
		}
		rest = append(rest, a)
	}
	path := file
	if !filepath.IsAbs(file) {
		path = pyJoin(pyJoin(dir, "action.d"), file)
	}
	return []any{"set", jailName, "addaction", actname, path, jsonDumps(rest)}
}
