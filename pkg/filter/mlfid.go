package filter

import (
	"slices"
	"time"

	"github.com/f2b/f2b/pkg/tags"
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
	groups        tags.List
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

// sessionAlloc is a new session's data with room for its groups and its
// first user: one allocation instead of three.
type sessionAlloc struct {
	d     failData
	tags  [inlineTags]tags.Tag
	users [1]string
}

// newSession returns the data of a new session with a copy of groups g.
func newSession(g tags.List) *failData {
	a := new(sessionAlloc)
	a.d.groups = append(a.tags[:0], g...)
	a.d.users = a.users[:0]
	return &a.d
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

// mergeSession folds the current match, with merged groups g (the
// caller's scratch list), into its mlfid session (fail2ban's
// _mergeFailure) and returns the merged data. A session the cache keeps
// gets lists of its own; a match that neither finds nor starts one is
// folded into f.loose, so the common case allocates only for a new
// session.
func (f *Filter) mergeSession(id string, g tags.List, matched []string) *failData {
	nf := 0
	if gained, _ := g.Get("mlfgained"); gained != "" {
		nf |= flagGained | flagNoFail
		if v, _ := g.Get("nofail"); v == "" {
			g = g.Set("nofail", gained)
		}
	} else if v, _ := g.Get("nofail"); v != "" {
		nf |= flagNoFail
	}
	if v, ok := g.Get("mlfforget"); ok {
		g = g.Delete("mlfforget")
		if v != "" {
			nf |= flagForget
		}
	}
	user, _ := g.Get("user")
	var cur *failData
	var users []string
	if s := f.sessions.get(id); s != nil {
		users = s.addUser(user)
		nf |= s.popFlag("nofail") | s.popFlag("mlfgained")
		if nf&flagGained != 0 {
			s.pending = false
		}
		if nf&flagWasNoFail == 0 && !s.pending {
			s.matches = nil
		}
		s.groups = s.groups.Update(g)
		cur = s
		if nf&flagForget != 0 {
			f.sessions.unset(id)
		}
	} else if nf&flagForget == 0 {
		cur = newSession(g)
		users = cur.addUser(user)
		f.sessions.add(id, cur) // get found none: id is not in the cache
	} else {
		f.loose = failData{groups: g}
		cur = &f.loose
	}
	if cur.pending || len(users) > 1 {
		cur.groups = cur.groups.Delete("nofail").Delete("mlfgained")
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

// popFlag removes the session's flag group k, saying whether it was set.
func (d *failData) popFlag(k string) int {
	v, ok := d.groups.Get(k)
	d.groups = d.groups.Delete(k)
	if ok && v != "" {
		return flagWasNoFail
	}
	return 0
}
