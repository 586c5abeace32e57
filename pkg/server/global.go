package server

import (
	"context"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

var logLevels = map[string]bool{
	"CRITICAL": true, "FATAL": true, "ERROR": true, "WARNING": true, "WARN": true,
	"NOTICE": true, "INFO": true, "MSG": true, "DEBUG": true, "TRACEDEBUG": true, "HEAVYDEBUG": true,
}

func (s *Server) cmdSetGlobal(ctx context.Context, cmd []any, quiet bool) (any, error) {
	key, _ := cmd[1].(string)
	val, err := arg(cmd, 2)
	if err != nil {
		return nil, err
	}
	q := func(v any) (any, error) {
		if quiet {
			return nil, nil
		}
		return v, nil
	}
	g := &s.settings
	switch key {
	case "loglevel":
		lvl := strings.ToUpper(pyval.Str(val))
		if _, err := toInt(lvl); err != nil && !logLevels[lvl] {
			return nil, errValue("Invalid log level %s", pyval.Repr(pyval.Str(val)))
		}
		if s.opts.Logging != nil {
			if err := s.opts.Logging.SetLevel(lvl); err != nil {
				return nil, errValue("Invalid log level %s", pyval.Repr(pyval.Str(val)))
			}
		}
		g.loglevel = lvl
		return q(lvl)
	case "logtarget":
		t := pyval.Str(val)
		if s.opts.Logging != nil && t != g.logtarget {
			if err := s.opts.Logging.SetTarget(t); err != nil {
				return nil, errException("Failed to change log target")
			}
		}
		g.logtarget = t
		return q(t)
	case "syslogsocket":
		g.syslogsocket = pyval.Str(val)
		return q(g.syslogsocket)
	case "allowipv6":
		g.allowipv6 = pyval.Str(val)
		return q(val)
	case "thread":
		if d, ok := val.(pyval.Dict); ok {
			if v, ok := d.Get("stacksize"); ok {
				n, err := toInt(v)
				if err != nil {
					return nil, err
				}
				g.threadStack = n
			}
		}
		return nil, nil
	case "dbfile":
		return s.setDBFile(ctx, val, quiet)
	case "dbmaxmatches":
		n, err := toInt(val)
		if err != nil {
			return nil, err
		}
		if g.dbfile == nil {
			s.log.Info("dbmaxmatches setting was not in effect since no db yet")
			return nil, nil
		}
		g.dbmaxmatches = n
		s.applyDBSettings()
		return q(n)
	case "dbpurgeage":
		secs, err := str2sec(val)
		if err != nil {
			return nil, err
		}
		if g.dbfile == nil {
			s.log.Info("dbpurgeage setting was not in effect since no db yet")
			return nil, nil
		}
		g.dbpurgeage = secs
		s.applyDBSettings()
		return q(secs)
	}
	return nil, errException("Invalid command %s (no set action or not yet implemented)", pyval.Repr(key))
}

func (s *Server) cmdGetGlobal(key string) (any, error) {
	g := &s.settings
	switch key {
	case "loglevel":
		return g.loglevel, nil
	case "logtarget":
		return g.logtarget, nil
	case "syslogsocket":
		return g.syslogsocket, nil
	case "allowipv6":
		return g.allowipv6, nil
	case "thread":
		return pyval.Dict{{Key: "stacksize", Value: g.threadStack}}, nil
	case "dbfile":
		return g.dbfile, nil
	case "dbmaxmatches":
		if g.dbfile == nil {
			return nil, nil
		}
		return g.dbmaxmatches, nil
	case "dbpurgeage":
		if g.dbfile == nil {
			return nil, nil
		}
		return g.dbpurgeage, nil
	}
	return nil, errException("Invalid command (no get action or not yet implemented)")
}

// cmdSet routes `set`/`multi-set` to the global or the per-jail handler.
func (s *Server) cmdSet(ctx context.Context, cmd []any, quiet, multi bool) (any, error) {
	if len(cmd) < 2 {
		return nil, errIndex()
	}
	if k, ok := cmd[1].(string); ok && isGlobalKey(k) && len(cmd) <= 3 {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.cmdSetGlobal(ctx, cmd, quiet)
	}
	sub, err := argStr(cmd, 2)
	if err != nil {
		// `set <name>` with no sub-command: a jail name or garbage.
		s.mu.RLock()
		_, jerr := s.jail(cmd[1])
		s.mu.RUnlock()
		if jerr != nil {
			return nil, jerr
		}
		return nil, err
	}
	// Commands that only touch one jail's live state run concurrently.
	s.mu.RLock()
	j, err := s.jail(cmd[1])
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	return j.set(ctx, sub, cmd[3:], quiet, multi)
}

func (s *Server) cmdGet(cmd []any) (any, error) {
	if len(cmd) < 2 {
		return nil, errIndex()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if k, ok := cmd[1].(string); ok && isGlobalKey(k) && len(cmd) == 2 {
		return s.cmdGetGlobal(k)
	}
	j, err := s.jail(cmd[1])
	if err != nil {
		return nil, err
	}
	sub, err := argStr(cmd, 2)
	if err != nil {
		return nil, err
	}
	return j.get(sub, cmd[3:])
}

func isGlobalKey(k string) bool {
	switch k {
	case "loglevel", "logtarget", "syslogsocket", "allowipv6", "thread",
		"dbfile", "dbmaxmatches", "dbpurgeage":
		return true
	}
	return false
}

func (s *Server) cmdFlushLogs() (any, error) {
	if s.opts.Logging == nil {
		return "flushed", nil
	}
	r, err := s.opts.Logging.Reopen()
	if err != nil {
		return nil, errException("%s", err.Error())
	}
	return r, nil
}
