package config

import (
	"strings"
)

var (
	filterOpts = []optSpec{
		{"string", "usedns", nil}, {"string", "prefregex", nil}, {"string", "ignoreregex", nil},
		{"string", "failregex", nil}, {"int", "maxlines", nil}, {"string", "datepattern", nil},
		{"string", "journalmatch", nil},
	}
	actionOpts = []optSpec{
		{"string", "actionstart", nil}, {"bool", "actionstart_on_demand", nil},
		{"string", "actionstop", nil}, {"string", "actionflush", nil}, {"string", "actionreload", nil},
		{"string", "actioncheck", nil}, {"string", "actionrepair", nil},
		{"bool", "actionrepair_on_unban", nil}, {"string", "actionban", nil},
		{"string", "actionprolong", nil}, {"string", "actionreban", nil},
		{"string", "actionunban", nil}, {"bool", "norestored", nil},
	}
	// actionOptNames are the names of actionOpts, which actionStream
	// looks up for every option of every action.
	actionOptNames = optSet(actionOpts)
	// actionIgnoreTags are resolved by the server at ban time.
	actionIgnoreTags = []string{"matches", "ipmatches", "ipjailmatches", "timeout", "bantime"}
)

func optSet(specs []optSpec) map[string]bool {
	m := make(map[string]bool, len(specs))
	for _, o := range specs {
		m[o.name] = true
	}
	return m
}

// optNames is the set of the names of specs: a set made once for
// actionOpts, a new one for any other template.
func optNames(specs []optSpec) map[string]bool {
	if len(specs) == len(actionOpts) && &specs[0] == &actionOpts[0] {
		return actionOptNames
	}
	return optSet(specs)
}

// defReader reads a filter.d or action.d file with its [Definition] and
// [Init] sections (fail2ban's DefinitionInitConfigReader).
type defReader struct {
	st       *store
	file     string // logical name under the base dir, e.g. "filter.d/sshd"
	name     string // filter/action name as written in the jail
	jail     string
	specs    []optSpec
	init     *odict // arguments, then [Init] values and known/ copies
	vars     *vars  // pOpts as configparser vars
	opts     *odict
	defCache []defValue // combOption's answers
}

// defValue is a cached [Definition] look-up of tag name; found is false
// for an option that does not exist.
type defValue struct {
	name, v string
	found   bool
}

func newDefReader(l *loader, dir, name, jail string, args []Arg, specs []optSpec) (*defReader, error) {
	file := joinLogical(dir, name)
	st, err := l.read(file)
	return defReaderOf(st, file, name, jail, args, specs), err
}

// defReaderOf returns the reader of logical file, read into st (nil when
// reading it failed), before its getOptions.
func defReaderOf(st *store, file, name, jail string, args []Arg, specs []optSpec) *defReader {
	r := &defReader{st: st, file: file, name: name, jail: jail, specs: specs}
	// The arguments, then each [Init] option and its known/ copy: sized
	// once instead of grown by doubling.
	room := len(args)
	if st != nil {
		room += 2 * len(st.section("Init").keyList())
	}
	r.init = &odict{keys: make([]string, 0, room), vals: make([]any, 0, room)}
	for _, a := range args {
		r.init.Set(a.Key, a.Value)
	}
	return r
}

func joinLogical(dir, name string) string {
	if strings.HasPrefix(name, "/") {
		return name
	}
	return dir + "/" + name
}

// getOptions reads [Definition] with pOpts (jail options) as precedence and
// merges [Init] into the init options.
func (r *defReader) getOptions(pOpts *odict, all bool) error {
	// The precedence is pOpts updated by the init options; it is only
	// looked up, so it is not built as a dict of its own.
	vars := newVars(pOpts, r.init)
	given := func(k string) bool { return vars.mayHold(k) && (r.init.Has(k) || pOpts.Has(k)) }
	opts, err := r.st.getOptionsVars("Definition", r.specs, given, vars, false, false)
	if err != nil {
		return err
	}
	r.opts, r.vars = opts, vars
	if init := r.st.section("Init"); init != nil {
		if err := r.readInit(init); err != nil {
			return err
		}
	}
	if def := r.st.section("Definition"); all && def != nil {
		for _, k := range def.keys {
			if k == "__name__" || r.opts.Has(k) {
				continue
			}
			v, err := r.st.get("Definition", k, nil)
			if err != nil {
				return err
			}
			r.opts.Set(k, v)
		}
	}
	return nil
}

func (r *defReader) readInit(init *section) error {
	known := r.st.initKnownNames()
	// The known/ copies are added without a look-up unless a known/ key
	// is there already or to come (in the reader's arguments or in
	// [Init] itself): the [Init] keys, and so their copies, are distinct.
	givenKnown := hasKnownKey(r.init.keys) || hasKnownKey(init.keys)
	for i, k := range init.keys {
		if k == "__name__" {
			continue
		}
		isKnown := strings.HasPrefix(k, "known/")
		has := r.init.Has(k)
		if isKnown && has {
			continue
		}
		// v is read once, only when one of the two sets below needs it.
		v, err := r.st.get("Init", k, nil)
		if err != nil {
			return err
		}
		bv := any(v) // boxed once for both sets
		if !isKnown {
			if givenKnown {
				r.init.Set(known[i], bv)
			} else {
				r.init.add(known[i], bv)
			}
		}
		if !has {
			r.init.add(k, bv)
		}
	}
	return nil
}

func hasKnownKey(keys []string) bool {
	for _, k := range keys {
		if strings.HasPrefix(k, "known/") {
			return true
		}
	}
	return false
}

// combined returns [Definition] values overlaid by init options, with
// <tag>s substituted and typed options converted.
func (r *defReader) combined(ignore []string) (*odict, error) {
	comb := r.opts.merged(r.init)
	if comb.Len() == 0 {
		return newODict(), nil
	}
	if comb == r.opts {
		comb = comb.Copy() // substituteTags rewrites its dict in place
	}
	ign := map[string]bool{}
	for _, k := range ignore {
		ign[k] = true
	}
	for _, k := range comb.keys {
		// a conditional key (^(\w+)(\?.+)$) keeps its base name's tags
		if base, cond := splitConditional(k); cond != "" {
			ign[base] = true
		}
	}
	var opts *odict
	ok := false
	if r.st != nil {
		opts, ok = r.st.memo.substitute(comb, ignore, ign, r.combOption)
	}
	if !ok {
		var err error
		if opts, err = substituteTags(comb, ign, r.combOption); err != nil {
			return nil, err
		}
	}
	for _, o := range r.specs {
		if v, ok := opts.Get(o.name); ok && v != nil {
			if cv, ok := convertValue(o.typ, v); ok {
				opts.Set(o.name, cv)
			} else {
				opts.Set(o.name, o.def)
			}
		}
	}
	return opts, nil
}

// combOption resolves a tag that is not an option of the combined dict
// from [Definition] (own, DEFAULT, sec/opt or known/opt).
func (r *defReader) combOption(name string) (string, bool, error) {
	// A reader asks for a handful of names (<ip>, <family>, ...), once
	// per substitution pass: a scan finds them without the map that
	// growing one entry at a time cost more than all its look-ups.
	for _, c := range r.defCache {
		if c.name == name {
			return c.v, c.found, nil
		}
	}
	if r.defCache == nil {
		// the stock tree's readers ask for 1 to 39 names, mostly 11 to 16
		r.defCache = make([]defValue, 0, 16)
	}
	v, err := r.st.getEx("Definition", name, r.vars)
	if err == errNoSection || err == errNoOption { // returned bare, see getOptionsVars
		r.defCache = append(r.defCache, defValue{name: name})
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	r.defCache = append(r.defCache, defValue{name, v, true})
	return v, true, nil
}

// splitSectionOpt matches ^([\w\-]+)/([^\s>]+)$ ("known/chain").
func splitSectionOpt(s string) (sec, opt string, ok bool) {
	i := strings.IndexByte(s, '/')
	if i <= 0 || i == len(s)-1 {
		return "", "", false
	}
	for _, r := range s[:i] {
		if r != '-' && !isWord(r) {
			return "", "", false
		}
	}
	for _, r := range s[i+1:] {
		if r == '>' || isPySpace(r) {
			return "", "", false
		}
	}
	return s[:i], s[i+1:], true
}

// getEx is get with section-qualified option names ("known/x", "sec/x").
func (st *store) getEx(sec, opt string, vars *vars) (string, error) {
	if !strings.Contains(opt, "/") {
		return st.get(sec, opt, vars)
	}
	key := sec + "\x00" + opt
	st.exMu.Lock()
	v, ok := st.exCache[key]
	st.exMu.Unlock()
	if ok {
		return v, nil
	}
	if secName, optName, ok := splitSectionOpt(opt); ok {
		var try []string
		switch strings.ToLower(secName) {
		case "known":
			try = []string{knownPrefix + sec, sec}
		case "default":
			try = []string{"DEFAULT"}
		default:
			try = []string{secName}
		}
		for _, s := range try {
			v, err := st.get(s, optName, nil)
			if err == nil {
				// Without vars the result depends on the store alone.
				st.exMu.Lock()
				if st.exCache == nil {
					st.exCache = map[string]string{}
				}
				st.exCache[key] = v
				st.exMu.Unlock()
				return v, nil
			}
			if err != errNoSection && err != errNoOption {
				return "", err
			}
		}
	}
	return st.get(sec, opt, vars)
}
