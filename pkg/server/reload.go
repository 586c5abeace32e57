package server

import (
	"context"

	"github.com/f2b/f2b/pkg/pyval"
)

// reloadState tracks the jails a reload touches: those still in jails when
// the stream ends were not re-added and get removed.
type reloadState struct {
	jails map[string]bool
}

// cmdReload is `['reload', name, opts, stream]` (spec §2.7).
func (s *Server) cmdReload(ctx context.Context, cmd []any) (any, error) {
	name, err := argStr(cmd, 1)
	if err != nil {
		return nil, err
	}
	var opts []string
	if len(cmd) > 2 {
		if l, ok := asList(cmd[2]); ok {
			for _, o := range l {
				opts = append(opts, pyval.Str(o))
			}
		}
	}
	var stream []any
	if len(cmd) > 3 {
		stream, _ = asList(cmd[3])
	}
	has := func(o string) bool {
		for _, x := range opts {
			if x == o {
				return true
			}
		}
		return false
	}
	if err := s.beginReload(ctx, name, has("--restart"), has("--unban"), has("--if-exists")); err != nil {
		return nil, err
	}
	err = s.applyStream(ctx, stream)
	s.endReload(ctx)
	if err != nil {
		return nil, err
	}
	return "OK", nil
}

func (s *Server) beginReload(ctx context.Context, name string, restart, unban, ifExists bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reload != nil {
		return errException("Reload already in progress")
	}
	var names []string
	if name == "--all" {
		names = append(names, s.order...)
	} else {
		if _, ok := s.jails[name]; !ok {
			if !ifExists {
				return errUnknownJail(name)
			}
		} else {
			names = []string{name}
		}
	}
	st := &reloadState{jails: make(map[string]bool)}
	for _, n := range names {
		j := s.jails[n]
		if unban {
			j.unbanAll(ctx)
		}
		if restart {
			s.removeJail(ctx, n)
			continue
		}
		j.beginReload()
		st.jails[n] = true
	}
	s.reload = st
	return nil
}

func (s *Server) endReload(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.reload
	s.reload = nil
	if st == nil {
		return
	}
	for _, n := range append([]string(nil), s.order...) {
		j := s.jails[n]
		if st.jails[n] {
			// Still marked: not in the new configuration.
			s.removeJail(ctx, n)
			continue
		}
		if j.reloading {
			j.endReload(ctx)
		}
	}
}
