package server

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/action"
	"github.com/f2b/f2b/pkg/backend"
	"github.com/f2b/f2b/pkg/config"
	"github.com/f2b/f2b/pkg/pyval"
	"github.com/f2b/f2b/pkg/store"
)

// str2sec converts a time value the way fail2ban's str2seconds does:
// numbers pass through, strings are evaluated; errors are Python's
// SyntaxError so the client prints the same text.
func str2sec(v any) (any, error) {
	switch x := v.(type) {
	case int64, float64:
		return x, nil
	case int:
		return int64(x), nil
	case bool:
		return b2i(x), nil
	}
	r, err := config.Str2SecondsValue(pyval.Str(v))
	if err != nil {
		// Python's eval fails with a SyntaxError whose str() names the
		// pseudo file, which is what fail2ban-client prints.
		text := pyval.Str(v)
		return nil, pyval.NewException("SyntaxError", "invalid decimal literal",
			pyval.Tuple{"<string>", int64(1), int64(1), text, int64(1), int64(1)})
	}
	return r, nil
}

func (s *Server) runner() action.Runner {
	if s.opts.Runner != nil {
		return s.opts.Runner
	}
	s.runnerOnce.Do(func() {
		s.shell = action.NewShellRunner(action.ShellOptions{Logger: s.log})
	})
	return s.shell
}

// setDBFile is `set dbfile <path|None>`.
func (s *Server) setDBFile(ctx context.Context, val any, quiet bool) (any, error) {
	path := pyval.Str(val)
	if val == nil || strings.EqualFold(path, "none") {
		if len(s.jails) > 0 && s.db != nil {
			return nil, errRuntime("Cannot change database when there are jails present")
		}
		s.closeDB()
		s.settings.dbfile = nil
		return nil, nil
	}
	if cur, ok := s.settings.dbfile.(string); ok && cur == path {
		if quiet {
			return nil, nil
		}
		return path, nil
	}
	if len(s.jails) > 0 {
		return nil, errRuntime("Cannot change database when there are jails present")
	}
	s.closeDB()
	o := store.DefaultOptions(path)
	o.Logger = s.log.With("logger", "fail2ban.database")
	db, err := store.Open(ctx, o)
	if err != nil {
		s.log.Error("Unable to open database "+pyval.Repr(path), "err", err)
		return nil, errRuntime("%s", err.Error())
	}
	s.db = db
	s.settings.dbfile = path
	s.applyDBSettings()
	s.startPurge(db)
	if quiet {
		return nil, nil
	}
	return path, nil
}

func (s *Server) applyDBSettings() {
	if s.db == nil {
		return
	}
	if n, ok := s.settings.dbmaxmatches.(int64); ok {
		s.db.SetMaxMatches(int(n))
	}
	if f, err := toFloat(s.settings.dbpurgeage); err == nil {
		s.db.SetPurgeAge(time.Duration(f * float64(time.Second)))
	}
}

// purgeInterval is how often history older than dbpurgeage is deleted
// (fail2ban purges hourly).
const purgeInterval = time.Hour

// startPurge purges db now and then every purgeInterval until the
// database is closed.
func (s *Server) startPurge(db *store.Store) {
	stop := make(chan struct{})
	s.purgeStop = stop
	go func() {
		t := time.NewTicker(purgeInterval)
		defer t.Stop()
		for {
			if err := db.Purge(context.Background()); err != nil && !errors.Is(err, store.ErrClosed) {
				s.log.Error("database purge", "err", err)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
}

func (s *Server) closeDB() {
	if s.db == nil {
		return
	}
	if s.purgeStop != nil {
		close(s.purgeStop)
		s.purgeStop = nil
	}
	if err := s.db.Close(); err != nil {
		s.log.Error("closing database", "err", err)
	}
	s.db = nil
}

func (s *Server) dbAddJail(name string) {
	if err := s.db.AddJail(context.Background(), name); err != nil {
		s.log.Error("database: add jail", "jail", name, "err", err)
	}
}

func (s *Server) dbDisableJail(name string) {
	if s.db == nil {
		return
	}
	if err := s.db.DelJail(context.Background(), name); err != nil {
		s.log.Error("database: disable jail", "jail", name, "err", err)
	}
}

func (s *Server) dbDelAllBans() {
	if s.db == nil {
		return
	}
	for _, n := range s.order {
		if err := s.db.DelBan(context.Background(), n); err != nil {
			s.log.Error("database: delete bans", "jail", n, "err", err)
		}
	}
}

func (s *Server) dbUpdateLog(jail string, p backend.Position) {
	db := s.db
	if db == nil {
		return
	}
	if err := db.UpdateLog(jail, p.File, store.LogPos{Hash: p.Hash, Pos: p.Pos}); err != nil {
		s.log.Debug("database: update log", "err", err)
	}
}

// dbLogPosition is where to resume reading path for jail.
func (s *Server) dbLogPosition(ctx context.Context, jail, path string) (backend.Position, bool) {
	if s.db == nil {
		return backend.Position{}, false
	}
	p, ok, err := s.db.Log(ctx, jail, path)
	if err != nil || !ok {
		return backend.Position{}, false
	}
	return backend.Position{File: path, Hash: p.Hash, Pos: p.Pos}, true
}
