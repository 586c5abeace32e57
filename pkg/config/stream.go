package config

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/f2b/f2b/pkg/ini"
	"github.com/f2b/f2b/pkg/pyval"
)

// Stream returns the command stream fail2ban-client -d prints: general
// options, every jail, then "start" for each jail without a config error.
// It is nil when the configuration failed as a whole.
func (c *Config) Stream() [][]any { return c.stream }

// OK reports whether fail2ban-client would accept the tree.
func (c *Config) OK() bool { return c.ok && c.fatal == nil }

// Fatal is the error that made the whole configuration fail, if any.
func (c *Config) Fatal() error { return c.fatal }

// DumpOK is fail2ban-client's verdict for -d: the tree loaded and at least
// one jail is valid, or no jail has an error.
func (c *Config) DumpOK() bool {
	if c.fatal != nil {
		return false
	}
	valid, bad := false, false
	for _, j := range c.jails {
		if j.cfgErr != "" {
			bad = true
		} else {
			valid = true
		}
	}
	return valid || !bad
}

// TestOK is fail2ban-client's verdict for -t: no fatal error, no jail
// with a configuration error and every jail with a log file (unless it
// reads the journal).
func (c *Config) TestOK() bool { return c.OK() && len(c.noLogs) == 0 }

// Errors lists every problem found while loading, with positions.
func (c *Config) Errors() ini.ErrorList { return c.errs }

// MissingLogs lists the enabled jails whose logpath matched no file:
// fail2ban-client refuses to start the server for these (it only warns
// with -d), so a server start should treat them as errors.
func (c *Config) MissingLogs() []string { return c.noLogs }

// Dir is the configuration directory that was read.
func (c *Config) Dir() string { return c.dir }

// Early returns the general options a client needs before any server
// contact (socket, pidfile, loglevel, logtarget, syslogsocket).
func (c *Config) Early() map[string]string { return c.early }

func (l *loader) stream(c *Config) ([][]any, error) {
	// The prepared parts give the stream's length: one allocation, not a
	// doubling (and a copy left behind) every few jails.
	n := len(c.general) + 2*len(c.jails)
	for _, j := range c.jails {
		if j.prep != nil {
			n += len(j.prep.stream)
		}
	}
	out := make([][]any, 0, n)
	out = append(out, c.general...)
	for _, j := range c.jails {
		s, err := l.jailStream(j)
		if err != nil {
			return nil, fmt.Errorf("jail %q: %w", j.name, err)
		}
		out = append(out, s...)
	}
	for _, j := range c.jails {
		if j.cfgErr == "" {
			out = append(out, []any{"start", j.name})
		}
	}
	return out, nil
}

// jailStream returns the part of the stream of one jail that prepare
// built, and logs what building it found, in jail order.
func (l *loader) jailStream(j *jail) ([][]any, error) {
	if j.cfgErr != "" {
		return [][]any{{"config-error", fmt.Sprintf("Jail '%s' skipped, because of wrong configuration: %s", j.name, j.cfgErr)}}, nil
	}
	if j.prep == nil {
		j.prepare()
	}
	p := j.prep
	for _, m := range p.logs {
		if m.key == "" {
			l.log.Log(context.Background(), m.level, m.msg, "jail", j.name)
		} else {
			l.log.Log(context.Background(), m.level, m.msg, "jail", j.name, m.key, m.value)
		}
	}
	if p.noLogs {
		l.noLogs = append(l.noLogs, j.name)
	}
	return p.stream, p.streamErr
}

// jailLog is a message that building a jail's stream leaves to be
// logged: the stream is built on another goroutine, while the messages
// go out in jail order (jailStream).
type jailLog struct {
	level      slog.Level
	msg        string
	key, value string // one attribute after the jail's name, if key is set
}

// buildStream builds the stream of a read jail (the filter's and the
// jail's settings, log files and actions) into j.prep. Only the error
// that computing in this order meets first is kept, and the messages
// logged before it.
func (j *jail) buildStream() {
	p := j.prep
	if p.filterErr != nil {
		p.streamErr = p.filterErr
		return
	}
	var out [][]any
	var err error
	// The jail's name goes into every command: boxed once, not once each.
	name := any(j.name)
	if p.filter != nil {
		if out, err = fillStream(out, p.filter, name); err != nil {
			p.streamErr = err
			return
		}
	}
	if out, err = fillStream(out, j.opts, name); err != nil {
		p.streamErr = err
		return
	}
	var logs [][]any
	backend := any(nil)
	for i, k := range j.opts.keys {
		v := j.opts.vals[i]
		switch {
		case k == "logpath":
			if strings.HasPrefix(optString(j.opts, "backend"), "systemd") {
				continue
			}
			logs = append(logs, p.logPaths(j.logFiles, name, pyval.Str(v))...)
		case k == "backend":
			backend = v
		case k == "ignoreip":
			out = append(out, append([]any{"set", name, "addignoreip"}, splitWords(pyval.Str(v))...))
		case !jailIgnored[k]:
			out = append(out, []any{"set", name, k, v})
		}
	}
	out = append(out, logs...)
	for i, a := range j.actions {
		switch a := a.(type) {
		case []any:
			out = append(out, a)
		case *defReader:
			if err := p.actionErrs[i]; err != nil {
				p.streamErr = err
				return
			}
			out = append(out, p.actions[i]...)
		}
	}
	p.stream = append([][]any{{"add", name, backend}}, out...)
}

var jailIgnored = map[string]bool{"action": true, "filter": true, "enabled": true,
	"usedns": true, "prefregex": true, "ignoreregex": true, "failregex": true, "maxlines": true,
	"datepattern": true, "journalmatch": true}

// fillStream appends the filter settings of opts (spec §1.7 emission
// order: usedns first, then maxlines/prefregex, ahead of the regexes);
// jailName is the jail's name, boxed by the caller.
func fillStream(out [][]any, opts *odict, jailName any) ([][]any, error) {
	prio := 0
	for i, k := range opts.keys {
		v := opts.vals[i]
		if v == nil {
			continue
		}
		switch {
		case k == "failregex" || k == "ignoreregex":
			var multi []any
			for _, r := range strings.Split(pyval.Str(v), "\n") {
				if r != "" {
					multi = append(multi, r)
				}
			}
			if len(multi) > 1 {
				out = append(out, []any{"multi-set", jailName, "add" + k, multi})
			} else if len(multi) == 1 {
				out = append(out, []any{"set", jailName, "add" + k, multi[0]})
			}
		case k == "usedns" || k == "maxlines" || k == "prefregex":
			at := prio
			if k == "usedns" {
				at = 0
			}
			out = insertAt(out, at, []any{"set", jailName, k, v})
			prio++
		case strings.Contains("datepattern", k):
			// fail2ban tests `opt in ('datepattern')`, a substring test.
			out = append(out, []any{"set", jailName, k, v})
		case k == "journalmatch":
			for _, m := range strings.Split(pyval.Str(v), "\n") {
				if m == "" {
					continue
				}
				words, err := shlexSplit(m)
				if err != nil {
					return nil, fmt.Errorf("journalmatch %q: %w", m, err)
				}
				cmd := []any{"set", jailName, "addjournalmatch"}
				for _, w := range words {
					cmd = append(cmd, w)
				}
				out = append(out, cmd)
			}
		}
	}
	return out, nil
}

func insertAt(s [][]any, i int, v []any) [][]any {
	if i > len(s) {
		i = len(s)
	}
	s = append(s, nil)
	copy(s[i+1:], s[i:])
	s[i] = v
	return s
}

func actionStream(a *defReader) ([][]any, error) {
	opts, err := a.combined(actionIgnoreTags)
	if err != nil {
		return nil, err
	}
	// The jail's and the action's names go into every command: boxed
	// once, not once each.
	jail, name := any(a.jail), any(optString(a.init, "actname"))
	out := [][]any{{"set", jail, "addaction", name}}
	isConf := optNames(a.specs)
	fromOpts := func(k string) bool { return !strings.HasPrefix(k, "known/") && isConf[k] }
	fromInit := func(k string) bool { return !strings.HasPrefix(k, "known/") && !isConf[k] }
	// The [key, value] pairs share one backing array: an action has
	// dozens of them, and one allocation each was most of this function.
	// Counted first, as the combined options hold many more keys (every
	// known/ copy) than end up in the stream.
	n := 0
	for _, k := range opts.keys {
		if fromOpts(k) {
			n++
		}
	}
	for _, k := range a.init.keys {
		if fromInit(k) {
			n++
		}
	}
	pairs := make([]any, 0, 2*n)
	multi := make([]any, 0, n)
	add := func(k string, v any) {
		pairs = append(pairs, k, v)
		multi = append(multi, pairs[len(pairs)-2:len(pairs):len(pairs)])
	}
	for i, k := range opts.keys {
		if fromOpts(k) {
			add(k, opts.vals[i])
		}
	}
	for i, k := range a.init.keys {
		if fromInit(k) {
			add(k, a.init.vals[i])
		}
	}
	if len(multi) > 1 {
		out = append(out, []any{"multi-set", jail, "action", name, multi})
	} else if len(multi) == 1 {
		out = append(out, append([]any{"set", jail, "action", name}, multi[0].([]any)...))
	}
	return out, nil
}

// splitWords splits on spaces, commas and newlines, dropping empty words.
func splitWords(s string) []any {
	var out []any
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' }) {
		if w = pyStrip(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// logPaths expands each "glob [head|tail]" line of a logpath value for
// the jail named jailName (boxed by the caller); what it finds to report
// goes to p.logs, and noLogs is set when no file is found.
func (p *prepared) logPaths(files *logFiles, jailName any, value string) [][]any {
	var out [][]any
	for _, line := range strings.Split(value, "\n") {
		path, tail := line, "head"
		if i := strings.LastIndexByte(line, ' '); i >= 0 {
			path, tail = line[:i], line[i+1:]
		}
		found := files.glob(path)
		if len(found) == 0 {
			p.logs = append(p.logs, jailLog{slog.LevelInfo, "no file(s) found for glob", "glob", path})
		}
		for _, f := range found {
			if !files.exists(f) {
				p.logs = append(p.logs, jailLog{slog.LevelWarn, "dangling link, cannot be monitored", "file", f})
				continue
			}
			out = append(out, []any{"set", jailName, "addlogpath", f, tail})
		}
	}
	if len(out) == 0 {
		p.logs = append(p.logs, jailLog{level: slog.LevelWarn, msg: "have not found any log file"})
		p.noLogs = true
	}
	return out
}

// logFiles remembers, for one load, what the log paths of the jails
// found: most jails of a tree share a few globs (the syslog files, the
// web servers' logs), which were otherwise listed and stat'ed again for
// each. Jails are prepared on two goroutines, hence the lock. A nil
// *logFiles asks the file system every time.
type logFiles struct {
	mu    sync.Mutex
	globs map[string][]string
	stats map[string]bool
}

func newLogFiles() *logFiles {
	return &logFiles{globs: map[string][]string{}, stats: map[string]bool{}}
}

// glob is pyGlob(pattern); callers must not change the result.
func (c *logFiles) glob(pattern string) []string {
	if c == nil {
		return pyGlob(pattern)
	}
	c.mu.Lock()
	found, ok := c.globs[pattern]
	c.mu.Unlock()
	if !ok {
		found = pyGlob(pattern)
		c.mu.Lock()
		c.globs[pattern] = found
		c.mu.Unlock()
	}
	return found
}

// exists tells whether os.Stat finds file (a link that dangles does not
// count).
func (c *logFiles) exists(file string) bool {
	if c == nil {
		_, err := os.Stat(file)
		return err == nil
	}
	c.mu.Lock()
	ok, seen := c.stats[file]
	c.mu.Unlock()
	if !seen {
		_, err := os.Stat(file)
		ok = err == nil
		c.mu.Lock()
		c.stats[file] = ok
		c.mu.Unlock()
	}
	return ok
}
