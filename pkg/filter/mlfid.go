package filter

import (
	"slices"
	"time"
)

// Session cache limits (fail2ban's mlfidCache: 100 entries, 5 minutes
// after insertion, updates do not extend the lifetime).
const (
	sessionMax = 100
	sessionTTL = 5 * time.Minute
)

// failData is the data of one failure or mlfid session (fail2ban keeps it
// in one dict; the special keys are fields here).
type failData struct {
	groups        map[string]string
	matches       []string
	nofailMatches []string
	users         []string
	pending       bool
}

func (d *failData) addUser(u string) []string {
	if u != "" && !slices.Contains(d.users, u) {
		d.users = append(d.users, u)
	}
	return d.users
}

type sessionEntry struct {
	data    *failData
	expires time.Time
}

// sessions is the per-filter mlfid cache.
type sessions struct {
	now   func() time.Time
	m     map[string]sessionEntry
	order []string
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, m: map[string]sessionEntry{}}
}

func (s *sessions) get(id string) *failData {
	e, ok := s.m[id]
	if !ok {
		return nil
	}
	if s.now().After(e.expires) {
		s.unset(id)
		return nil
	}
	return e.data
}

// add caches a session for an id the cache does not hold (get returned
// nil), evicting the oldest beyond sessionMax.
func (s *sessions) add(id string, d *failData) {
	s.order = append(s.order, id)
	s.m[id] = sessionEntry{data: d, expires: s.now().Add(sessionTTL)}
	for len(s.m) > sessionMax && len(s.order) > 0 {
		old := s.order[0]
		s.order = s.order[1:]
		delete(s.m, old)
	}
}

func (s *sessions) unset(id string) {
	delete(s.m, id)
	if i := slices.Index(s.order, id); i >= 0 {
		s.order = slices.Delete(s.order, i, i+1)
	}
}

const (
	flagNoFail = 1 << iota
	flagForget
	flagWasNoFail
	flagGained
)

// mergeSession folds the current match into its mlfid session (fail2ban's
// _mergeFailure) and returns the merged data.
func (f *Filter) mergeSession(id string, cur *failData, matched []string) *failData {
	g := cur.groups
	nf := 0
	if g["mlfgained"] != "" {
		nf |= flagGained | flagNoFail
		if g["nofail"] == "" {
			g["nofail"] = g["mlfgained"]
		}
	} else if g["nofail"] != "" {
		nf |= flagNoFail
	}
	if v, ok := g["mlfforget"]; ok {
		delete(g, "mlfforget")
		if v != "" {
			nf |= flagForget
		}
	}
	var users []string
	if s := f.sessions.get(id); s != nil {
		users = s.addUser(g["user"])
		nf |= popFlag(s.groups, "nofail") | popFlag(s.groups, "mlfgained")
		if nf&flagGained != 0 {
			s.pending = false
		}
		if nf&flagWasNoFail == 0 && !s.pending {
			s.matches = nil
		}
		for k, v := range g {
			s.groups[k] = v
		}
		cur = s
		if nf&flagForget != 0 {
			f.sessions.unset(id)
		}
	} else if nf&flagForget == 0 {
		users = cur.addUser(g["user"])
		f.sessions.add(id, cur) // get found none: id is not in the cache
	}
	if cur.pending || len(users) > 1 {
		delete(cur.groups, "nofail")
		delete(cur.groups, "mlfgained")
		nf &^= flagGained | flagNoFail
	}
	cur.pending = false
	switch {
	case nf&flagNoFail == 0:
		m := append(cur.nofailMatches, cur.matches...)
		switch {
		case nf&flagGained != 0:
		case m == nil:
			m = matched // the caller's own slice: no copy needed
		default:
			m = append(m, matched...)
		}
		cur.matches, cur.nofailMatches = m, nil
	case nf&(flagNoFail|flagForget) == flagNoFail:
		cur.nofailMatches = append(cur.nofailMatches, matched...)
	}
	return cur
}

func popFlag(g map[string]string, k string) int {
	v, ok := g[k]
	delete(g, k)
	if ok && v != "" {
		return flagWasNoFail
	}
	return 0
}
