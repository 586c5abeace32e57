package server

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/action"
	"github.com/f2b/f2b/pkg/backend"
	"github.com/f2b/f2b/pkg/datedetect"
	"github.com/f2b/f2b/pkg/filter"
	"github.com/f2b/f2b/pkg/ipaddr"
	"github.com/f2b/f2b/pkg/jail"
	"github.com/f2b/f2b/pkg/pyval"
)

// set is `set <jail> <sub> args…` and `multi-set <jail> <sub> args…`.
func (j *Jail) set(ctx context.Context, sub string, args []any, quiet, multi bool) (any, error) {
	// ret returns the new value, or None in quiet mode.
	ret := func(v any, err error) (any, error) {
		if err != nil || quiet {
			return nil, err
		}
		return v, nil
	}
	a0 := func() (any, error) { return arg(args, 0) }
	switch sub {
	case "idle":
		v, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		switch v {
		case "on":
			j.core.SetIdle(true)
			return ret(true, nil)
		case "off":
			j.core.SetIdle(false)
			return ret(false, nil)
		}
		return nil, errException("Invalid idle option, must be 'on' or 'off'")
	case "ignoreself":
		v, err := a0()
		if err != nil {
			return nil, err
		}
		j.core.SetIgnoreSelf(boolish(v))
		return ret(j.core.IgnoreSelf(), nil)
	case "addignoreip":
		if len(args) == 0 {
			return nil, errIndex()
		}
		for _, v := range strArgs(args, 0) {
			if err := j.core.IgnoreIP().Add(v); err != nil && !errors.Is(err, ipaddr.ErrDuplicate) {
				return nil, errValue("%s", err.Error())
			}
		}
		return ret(j.ignoreIPList(), nil)
	case "delignoreip":
		v, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		if err := j.core.IgnoreIP().Remove(v); err != nil {
			return nil, errValue("list.remove(x): x not in list")
		}
		return ret(j.ignoreIPList(), nil)
	case "ignorecommand":
		v, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		j.mu.Lock()
		j.ignorecmd = v
		j.mu.Unlock()
		j.core.SetIgnoreCommand(v)
		return ret(v, nil)
	case "ignorecache":
		v, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		return ret(j.setIgnoreCache(v))
	case "addlogpath":
		return ret(j.addLogPath(ctx, args))
	case "dellogpath":
		p, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		if j.files != nil && j.files.RemovePath(p) {
			j.log.Info("Removed logfile: " + pyval.Repr(p))
		}
		return ret(j.logPaths(), nil)
	case "logencoding":
		v, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		enc, err := backend.ResolveEncoding(v)
		if err != nil {
			return nil, pyval.NewException("LookupError", "unknown encoding: "+v)
		}
		if j.files != nil {
			j.files.SetEncoding(v)
		}
		if j.journal != nil {
			j.journal.SetEncoding(v)
		}
		j.mu.Lock()
		j.logencoding = enc
		j.mu.Unlock()
		return ret(enc, nil)
	case "addjournalmatch":
		if j.journal == nil {
			return ret([]any{}, nil)
		}
		if err := j.journal.AddMatch(strArgs(args, 0)); err != nil {
			return nil, errValue("%s", err.Error())
		}
		return ret(j.journalMatches(), nil)
	case "deljournalmatch":
		if j.journal == nil {
			return ret([]any{}, nil)
		}
		if err := j.journal.DelMatch(strArgs(args, 0)); err != nil {
			return nil, errValue("%s", err.Error())
		}
		return ret(j.journalMatches(), nil)
	case "prefregex":
		v, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		if err := j.checkRegex(v); err != nil {
			return nil, err
		}
		j.updateFilter(func(o *filter.Options) { o.PrefRegex = v })
		return ret(j.prefRegex(), nil)
	case "addfailregex", "addignoreregex":
		var exprs []string
		if multi {
			v, err := a0()
			if err != nil {
				return nil, err
			}
			l, _ := asList(v)
			for _, x := range l {
				exprs = append(exprs, pyval.Str(x))
			}
		} else {
			v, err := argStr(args, 0)
			if err != nil {
				return nil, err
			}
			exprs = []string{v}
		}
		for _, e := range exprs {
			if err := j.checkRegex(e); err != nil {
				return nil, err
			}
		}
		fail := sub == "addfailregex"
		j.updateFilter(func(o *filter.Options) {
			if fail {
				o.FailRegex = append(o.FailRegex, exprs...)
			} else {
				o.IgnoreRegex = append(o.IgnoreRegex, exprs...)
			}
		})
		if multi {
			return true, nil
		}
		if fail {
			return ret(j.regexList(true), nil)
		}
		return ret(j.regexList(false), nil)
	case "delfailregex", "delignoreregex":
		v, err := a0()
		if err != nil {
			return nil, err
		}
		n, err := toInt(v)
		if err != nil {
			return nil, err
		}
		fail := sub == "delfailregex"
		j.updateFilter(func(o *filter.Options) {
			l := &o.IgnoreRegex
			if fail {
				l = &o.FailRegex
			}
			if n >= 0 && int(n) < len(*l) {
				*l = append((*l)[:n], (*l)[n+1:]...)
			} else {
				j.log.Error("Cannot remove regular expression. Index " + pyval.Repr(n) + " is not valid")
			}
		})
		return ret(j.regexList(fail), nil)
	case "usedns":
		v, err := a0()
		if err != nil {
			return nil, err
		}
		mode := usedns(v)
		j.updateFilter(func(o *filter.Options) { o.UseDNS = mode })
		return ret(mode, nil)
	case "findtime":
		v, err := a0()
		if err != nil {
			return nil, err
		}
		secs, err := str2sec(v)
		if err != nil {
			return nil, err
		}
		j.core.SetFindTime(secondsDur(secs))
		return ret(secs, nil)
	case "bantime":
		v, err := a0()
		if err != nil {
			return nil, err
		}
		secs, err := str2sec(v)
		if err != nil {
			return nil, err
		}
		n, _ := toInt(secs)
		j.core.SetBanTime(time.Duration(n) * time.Second)
		return ret(n, nil)
	case "maxretry", "maxmatches", "maxlines":
		v, err := a0()
		if err != nil {
			return nil, err
		}
		n, err := toInt(v)
		if err != nil {
			return nil, err
		}
		switch sub {
		case "maxretry":
			j.core.SetMaxRetry(int(n))
		case "maxmatches":
			j.core.SetMaxMatches(int(n))
		case "maxlines":
			if n <= 0 {
				return nil, errValue("maxlines must be integer greater than zero")
			}
			j.updateFilter(func(o *filter.Options) { o.MaxLines = int(n) })
		}
		return ret(n, nil)
	case "datepattern":
		v, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		if _, err := datedetect.New(datedetect.Options{Pattern: v}); err != nil {
			return nil, errValue("%s", err.Error())
		}
		j.mu.Lock()
		j.datepattern = v
		j.mu.Unlock()
		j.filterGen.Add(1)
		return ret(j.datePatternValue(), nil)
	case "logtimezone":
		v, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		if _, err := datedetect.ParseTimezone(v); err != nil {
			return nil, errValue("%s", err.Error())
		}
		j.mu.Lock()
		j.logtimezone = v
		j.mu.Unlock()
		j.filterGen.Add(1)
		return ret(v, nil)
	case "attempt":
		ip, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		return int64(j.core.Attempt(ctx, ip, strArgs(args, 1)...)), nil
	case "banip":
		return int64(j.core.BanIP(ctx, strArgs(args, 0)...)), nil
	case "unbanip":
		ids := strArgs(args, 0)
		report := false
		if len(ids) > 0 && ids[0] == "--report-absent" {
			report, ids = true, ids[1:]
		}
		n, err := j.core.UnbanIP(ctx, report, ids...)
		if err != nil {
			if nb, ok := err.(*jail.NotBannedError); ok {
				missing := make([]any, len(nb.IDs))
				for i, s := range nb.IDs {
					missing[i] = s
				}
				return nil, errValue("not banned: %s", pyval.Repr(missing))
			}
			return nil, errValue("%s", err.Error())
		}
		return int64(n), nil
	case "addaction":
		return ret(j.addAction(ctx, args))
	case "delaction":
		name, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		if !j.actions.remove(name) {
			return nil, errKey("Invalid Action name: %s", name)
		}
		return nil, nil
	case "action":
		return j.setAction(ctx, args, quiet, multi)
	}
	if strings.HasPrefix(sub, "bantime.") {
		v, err := a0()
		if err != nil {
			return nil, err
		}
		return ret(j.setBanTimeExtra(strings.TrimPrefix(sub, "bantime."), v))
	}
	return nil, errException("Invalid command %s (no set action or not yet implemented)", pyval.Repr(sub))
}

func usedns(v any) string {
	if b, ok := v.(bool); ok {
		if b {
			return "yes"
		}
		return "no"
	}
	s := strings.ToLower(pyval.Str(v))
	switch s {
	case "yes", "warn", "no", "raw":
		return s
	}
	return "no"
}

func secondsDur(v any) time.Duration {
	f, _ := toFloat(v)
	return time.Duration(f * float64(time.Second))
}

func (j *Jail) updateFilter(fn func(o *filter.Options)) {
	j.mu.Lock()
	fn(&j.fopts)
	j.mu.Unlock()
	j.filterGen.Add(1)
}

// checkRegex compiles one regex the way the filter will, so that a bad one
// is refused at `addfailregex` time with the error fail2ban gives.
func (j *Jail) checkRegex(expr string) error {
	j.mu.Lock()
	useDNS, ml := j.fopts.UseDNS, j.fopts.MaxLines > 1
	j.mu.Unlock()
	if strings.TrimSpace(expr) == "" {
		return errRegex("Cannot add empty regex")
	}
	expanded := filter.ExpandTags(expr, useDNS)
	if _, err := filter.CompileRegex(expanded, filter.RegexOptions{Multiline: ml}); err != nil {
		return errRegex("Unable to compile regular expression '%s':\n%s", expanded, err.Error())
	}
	return nil
}

func (j *Jail) addLogPath(ctx context.Context, args []any) (any, error) {
	p, err := argStr(args, 0)
	if err != nil {
		return nil, err
	}
	tail := false
	if len(args) > 2 {
		return nil, errValue("Only one file can be added at a time")
	}
	if len(args) == 2 {
		switch strings.ToLower(pyval.Str(args[1])) {
		case "head":
		case "tail":
			tail = true
		default:
			return nil, errValue("File option must be 'head' or 'tail'")
		}
	}
	if j.files == nil {
		return j.logPaths(), nil
	}
	j.mu.Lock()
	if j.keptPaths != nil {
		j.keptPaths[p] = true
	}
	j.mu.Unlock()
	for _, have := range j.files.Paths() {
		if have == p {
			if j.keptPaths == nil {
				j.log.Error(p + " already exists")
			}
			return j.logPaths(), nil
		}
	}
	if _, err := os.Stat(p); err != nil {
		return nil, errFileNotFound(p)
	}
	spec := backend.PathSpec{Name: p, Tail: tail}
	if pos, ok := j.s.dbLogPosition(ctx, j.name, p); ok {
		spec.Resume = &pos
	}
	if err := j.files.AddPath(spec); err != nil {
		return nil, errValue("%s", err.Error())
	}
	j.log.Info("Added logfile: " + pyval.Repr(p))
	return j.logPaths(), nil
}

func (j *Jail) setIgnoreCache(v string) (any, error) {
	if strings.TrimSpace(v) == "" {
		j.core.SetIgnoreCache(nil)
		j.mu.Lock()
		j.ignorecache = nil
		j.mu.Unlock()
		return nil, nil
	}
	o := jail.IgnoreCacheOptions{MaxCount: 100, MaxTime: 5 * time.Minute}
	maxTime := any(int64(300))
	for _, kv := range splitArgs(v) {
		k, val, _ := strings.Cut(kv, "=")
		k, val = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(val), `"'`)
		switch k {
		case "key":
			o.Key = val
		case "max-count":
			n, err := toInt(val)
			if err != nil {
				return nil, err
			}
			o.MaxCount = int(n)
		case "max-time":
			secs, err := str2sec(val)
			if err != nil {
				return nil, err
			}
			maxTime = secs
			o.MaxTime = secondsDur(secs)
		}
	}
	if o.Key == "" {
		return nil, errKey("key")
	}
	j.core.SetIgnoreCache(&o)
	val := []any{o.Key, int64(o.MaxCount), maxTime}
	j.mu.Lock()
	j.ignorecache = val
	j.mu.Unlock()
	return val, nil
}

func (j *Jail) setBanTimeExtra(opt string, v any) (any, error) {
	e := j.core.BanTimeExtra()
	s := pyval.Str(v)
	stored := v
	switch opt {
	case "increment":
		e.Increment = boolish(v)
		stored = e.Increment
	case "factor":
		e.Factor = s
	case "formula":
		e.Formula = s
	case "multipliers":
		e.Multipliers = nil
		for _, f := range strings.Fields(s) {
			n, err := toInt(f)
			if err != nil {
				return nil, err
			}
			e.Multipliers = append(e.Multipliers, int(n))
		}
	case "maxtime", "rndtime":
		var d time.Duration
		if s != "" {
			secs, err := str2sec(v)
			if err != nil {
				return nil, err
			}
			d, stored = secondsDur(secs), secs
		}
		if opt == "maxtime" {
			e.MaxTime = d
		} else {
			e.RndTime = d
		}
	case "overalljails":
		e.OverallJails = boolish(v)
	default:
		return nil, errException("Invalid command %s (no set action or not yet implemented)", pyval.Repr("bantime."+opt))
	}
	if err := j.core.SetBanTimeExtra(e); err != nil {
		return nil, errValue("%s", err.Error())
	}
	j.mu.Lock()
	if s == "" {
		delete(j.extraRaw, opt)
		stored = nil
	} else {
		j.extraRaw[opt] = stored
	}
	j.mu.Unlock()
	return stored, nil
}

func (j *Jail) addAction(ctx context.Context, args []any) (any, error) {
	name, err := argStr(args, 0)
	if err != nil {
		return nil, err
	}
	if len(args) > 1 {
		return nil, errRuntime("python actions are not supported by f2b (action %s, file %s)", pyval.Repr(name), pyval.Repr(pyval.Str(args[1])))
	}
	if a := j.actions.get(name); a != nil {
		j.mu.Lock()
		reloading := j.keptActions != nil
		if reloading {
			j.keptActions[name] = true
		}
		j.mu.Unlock()
		if reloading {
			a.Clear()
			return name, nil
		}
		return nil, errValue("Action %s already exists", name)
	}
	a, err := action.New(action.Options{
		Jail:   j.name,
		Name:   name,
		Runner: j.s.runner(),
		Logger: j.s.opts.Logger,
	})
	if err != nil {
		return nil, errRuntime("%s", err.Error())
	}
	j.actions.add(a)
	j.mu.Lock()
	if j.keptActions != nil {
		j.keptActions[name] = true
	}
	j.mu.Unlock()
	return name, nil
}

// actionMethods are the callable names of a command action, as fail2ban's
// actionmethods lists them.
var actionMethods = []string{"ban", "clearAllParams", "consistencyCheck", "escapeTag", "executeCmd",
	"flush", "invalidateBanEpoch", "prolong", "reban", "reload", "replaceDynamicTags", "replaceTag",
	"start", "stop", "unban"}

func (j *Jail) setAction(ctx context.Context, args []any, quiet, multi bool) (any, error) {
	name, err := argStr(args, 0)
	if err != nil {
		return nil, err
	}
	a := j.actions.get(name)
	if a == nil {
		return nil, errKey("Invalid Action name: %s", name)
	}
	if multi {
		v, err := arg(args, 1)
		if err != nil {
			return nil, err
		}
		pairs, _ := asList(v)
		for _, p := range pairs {
			kv, ok := asList(p)
			if !ok || len(kv) < 2 {
				return nil, errIndex()
			}
			if _, err := j.actionProp(ctx, a, pyval.Str(kv[0]), kv[1]); err != nil {
				return nil, err
			}
		}
		return true, nil
	}
	key, err := argStr(args, 1)
	if err != nil {
		return nil, err
	}
	val, err := arg(args, 2)
	if err != nil {
		return nil, err
	}
	v, err := j.actionProp(ctx, a, key, val)
	if err != nil || quiet {
		return nil, err
	}
	return v, nil
}

// actionProp sets a property, or calls a method when key names one.
func (j *Jail) actionProp(ctx context.Context, a *action.Action, key string, val any) (any, error) {
	for _, m := range actionMethods {
		if m == key {
			return j.callAction(ctx, a, key, pyval.Str(val))
		}
	}
	if err := a.Set(key, pyval.Str(val)); err != nil {
		return nil, errValue("%s", err.Error())
	}
	v, _ := a.Get(key)
	return v, nil
}

func (j *Jail) callAction(ctx context.Context, a *action.Action, method, kwargs string) (any, error) {
	if strings.TrimSpace(kwargs) != "" {
		var m map[string]any
		if err := json.Unmarshal([]byte(kwargs), &m); err != nil {
			return nil, &pyval.Exception{Module: "json.decoder", Name: "JSONDecodeError", Args: []any{err.Error()}}
		}
	}
	var err error
	switch method {
	case "start":
		err = a.Start(ctx)
	case "stop":
		err = a.Stop(ctx)
	case "flush":
		err = a.Flush(ctx)
	case "reload":
		err = a.Reload(ctx)
	case "consistencyCheck":
		err = a.Check(ctx)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, errRuntime("%s", err.Error())
	}
	return true, nil
}

// shellIgnore runs ignorecommand through the action runner.
type shellIgnore struct{ runner action.Runner }

func (s shellIgnore) Ignore(ctx context.Context, command string, t jail.Ticket) (bool, error) {
	a, err := action.New(action.Options{Name: "ignorecommand", Runner: s.runner,
		Props: []action.Prop{{Name: "actionban", Value: command}}})
	if err != nil {
		return false, err
	}
	fam := "inet4"
	if t.IP.Is6() && !t.IP.Is4In6() {
		fam = "inet6"
	}
	cmd, err := a.Render("actionban", fam, actionTicket(t))
	if err != nil {
		return false, err
	}
	_, err = s.runner.Run(ctx, cmd)
	if err == nil {
		return true, nil
	}
	var ee *action.ExitError
	if errors.As(err, &ee) && ee.Code == 1 {
		return false, nil
	}
	return false, err
}
