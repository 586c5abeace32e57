package server

import (
	"context"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

func (s *Server) cmdStatus(cmd []any) (any, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch len(cmd) {
	case 1:
		names := s.sortedNames()
		return []any{
			pyval.Tuple{"Number of jail", int64(len(names))},
			pyval.Tuple{"Jail list", strings.Join(names, ", ")},
		}, nil
	case 2, 3:
		if cmd[1] == "--all" {
			return s.statusAll(cmd)
		}
		j, err := s.jail(cmd[1])
		if err != nil {
			return nil, err
		}
		flavor := "basic"
		if len(cmd) == 3 {
			flavor = pyval.Str(cmd[2])
		}
		return j.status(flavor), nil
	}
	return nil, errException("Invalid command (no status)")
}

// statusAll is 1.1's `status --all [flavor]`.
func (s *Server) statusAll(cmd []any) (any, error) {
	flavor := "basic"
	if len(cmd) == 3 {
		flavor = pyval.Str(cmd[2])
	}
	names := s.sortedNames()
	var d pyval.Dict
	for _, n := range names {
		d = append(d, pyval.Item{Key: n, Value: s.jails[n].status(flavor)})
	}
	if flavor == "stats" {
		return d, nil
	}
	return []any{
		pyval.Tuple{"Number of jail", int64(len(names))},
		pyval.Tuple{"Jail list", strings.Join(names, ", ")},
		d,
	}, nil
}

func (s *Server) cmdBanned(cmd []any) (any, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(cmd) == 1 {
		out := make([]any, 0, len(s.order))
		for _, n := range s.order {
			ips := s.jails[n].bannedList()
			out = append(out, pyval.Dict{{Key: n, Value: ips}})
		}
		return out, nil
	}
	out := make([]any, 0, len(cmd)-1)
	for _, v := range cmd[1:] {
		ip := pyval.Str(v)
		in := []any{}
		for _, n := range s.order {
			if s.jails[n].isBanned(ip) {
				in = append(in, n)
			}
		}
		out = append(out, in)
	}
	return out, nil
}

func (s *Server) cmdUnban(ctx context.Context, cmd []any) (any, error) {
	if len(cmd) < 2 {
		return nil, errInvalidCommand()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	if cmd[1] == "--all" {
		for _, name := range s.order {
			n += s.jails[name].unbanAll(ctx)
		}
		s.dbDelAllBans()
		return int64(n), nil
	}
	ips := strArgs(cmd, 1)
	for _, name := range s.order {
		c, _ := s.jails[name].unbanIPs(ctx, ips, false)
		n += c
	}
	return int64(n), nil
}

func (s *Server) cmdAdd(ctx context.Context, cmd []any) (any, error) {
	name, err := argStr(cmd, 1)
	if err != nil {
		return nil, err
	}
	backend := "auto"
	if len(cmd) > 2 {
		backend = pyval.Str(cmd[2])
	}
	if name == "--all" {
		return nil, errException("Reserved name %s", pyval.Repr(name))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if j, ok := s.jails[name]; ok {
		if s.reload != nil && s.reload.jails[name] {
			if j.backendSpec == backend {
				j.reloading = true
				return name, nil
			}
			// Different backend: the jail is recreated.
			s.removeJail(ctx, name)
		} else {
			return nil, errDuplicateJail(name)
		}
	}
	j, err := s.newJail(name, backend)
	if err != nil {
		return nil, err
	}
	s.jails[name] = j
	s.order = append(s.order, name)
	s.log.Info("Creating new jail " + pyval.Repr(name))
	return name, nil
}

func (s *Server) cmdStart(ctx context.Context, cmd []any) (any, error) {
	name, err := arg(cmd, 1)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.jail(name)
	if err != nil {
		return nil, err
	}
	if s.reload != nil && s.reload.jails[j.name] {
		delete(s.reload.jails, j.name)
		j.setIdle(false)
		return nil, nil
	}
	if err := j.start(ctx); err != nil {
		return nil, err
	}
	s.log.Info("Jail " + pyval.Repr(j.name) + " started")
	return nil, nil
}

func (s *Server) cmdStop(ctx context.Context, cmd []any) (any, error) {
	if len(cmd) == 1 {
		s.stopOnce.Do(func() {
			s.mu.Lock()
			s.stopAll(ctx)
			s.mu.Unlock()
			if s.opts.OnStop != nil {
				s.opts.OnStop()
			}
		})
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cmd[1] == "--all" {
		s.stopAll(ctx)
		return nil, nil
	}
	if _, err := s.jail(cmd[1]); err != nil {
		return nil, err
	}
	s.removeJail(ctx, pyval.Str(cmd[1]))
	return nil, nil
}

// stopAll stops and removes every jail; the caller holds s.mu.
func (s *Server) stopAll(ctx context.Context) {
	for _, name := range append([]string(nil), s.order...) {
		s.removeJail(ctx, name)
	}
}

// removeJail stops one jail and forgets it; the caller holds s.mu.
func (s *Server) removeJail(ctx context.Context, name string) {
	j := s.jails[name]
	if j == nil {
		return
	}
	j.stop(context.WithoutCancel(ctx))
	delete(s.jails, name)
	for i, n := range s.order {
		if n == name {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	s.dbDisableJail(name)
	s.log.Info("Jail " + pyval.Repr(name) + " stopped")
}

// Shutdown stops every jail (actionstop runs, bans are repealed as
// fail2ban does on stop). It is what `stop` and SIGTERM do.
func (s *Server) Shutdown(ctx context.Context) {
	s.stopOnce.Do(func() {
		s.mu.Lock()
		s.stopAll(ctx)
		s.mu.Unlock()
	})
	s.closeDB()
}
