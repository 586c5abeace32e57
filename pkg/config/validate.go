package config

import (
	"github.com/f2b/f2b/pkg/ini"
	"github.com/f2b/f2b/pkg/pyval"
)

// timeOptions are the jail options the server parses with str2seconds.
var timeOptions = []string{"findtime", "bantime", "bantime.maxtime", "bantime.rndtime"}

// validateJail reports values fail2ban-client passes through but the server
// would reject later; the stream itself is unchanged.
func (l *loader) validateJail(j *jail) {
	if j.cfgErr != "" || !j.enabled() {
		return
	}
	for _, k := range timeOptions {
		v, ok := j.opts.Get(k)
		if !ok || v == nil {
			continue
		}
		if !l.validTime(pyval.Str(v)) {
			l.errs.Add(l.jails.keyPos(j.name, k), "jail %q: %s: invalid time string %q", j.name, k, pyval.Str(v))
		}
	}
	for _, k := range []string{"maxretry", "maxmatches"} {
		if v, ok := j.opts.Get(k); ok && v == nil {
			l.errs.Add(l.jails.keyPos(j.name, k), "jail %q: %s: not an integer", j.name, k)
		}
	}
}

// keyPos is where the value of key seen by section was written.
func (st *store) keyPos(sec, key string) ini.Pos {
	if s := st.secs[sec]; s != nil {
		if v, ok := s.value(key); ok {
			return v.pos
		}
		if _, ok := st.defaults.value(key); !ok {
			return s.pos
		}
	}
	v, _ := st.defaults.value(key)
	return v.pos
}

// validTime reports whether s is a time string the server accepts,
// remembering the answer: most jails share the few values of [DEFAULT]
// ("10m", "1h"), and converting one costs more than a jail's other checks.
func (l *loader) validTime(s string) bool {
	if ok, seen := l.timeOK[s]; seen {
		return ok
	}
	_, err := Str2Seconds(s)
	if l.timeOK == nil {
		l.timeOK = map[string]bool{}
	}
	l.timeOK[s] = err == nil
	return err == nil
}
