package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/pyval"
	"github.com/f2b/f2b/pkg/version"
)

// Dispatch executes one request exactly as fail2ban's transmitter does and
// returns the reply value, or a *pyval.Exception as the error. It is the
// single entry point for socket requests and for the configuration stream
// that f2b-server applies at start, so both paths behave identically.
// Every caller, not only the socket, first passes the barrier: a command
// must see every attempt whose reply is out (see serveAttempt).
func (s *Server) Dispatch(ctx context.Context, cmd []any) (any, error) {
	s.barrier()
	return s.dispatch(ctx, cmd, false)
}

func (s *Server) dispatch(ctx context.Context, cmd []any, quiet bool) (reply any, err error) {
	if len(cmd) == 0 {
		return nil, errIndex()
	}
	name, ok := cmd[0].(string)
	if !ok {
		return nil, errInvalidCommand()
	}
	switch name {
	case "ping":
		return "pong", nil
	case "version":
		return version.Fail2banVersion, nil
	case "echo":
		return append([]any{}, cmd[1:]...), nil
	case "server-status":
		return "Server ready", nil
	case "sleep":
		return s.cmdSleep(ctx, cmd)
	case "config-error":
		msg, err := argStr(cmd, 1)
		if err != nil {
			return nil, err
		}
		s.log.Error(msg)
		return nil, nil
	case "flushlogs":
		return s.cmdFlushLogs()
	case "status":
		return s.cmdStatus(cmd)
	case "banned":
		return s.cmdBanned(cmd)
	case "unban":
		return s.cmdUnban(ctx, cmd)
	case "add":
		return s.cmdAdd(ctx, cmd)
	case "start":
		return s.cmdStart(ctx, cmd)
	case "stop":
		return s.cmdStop(ctx, cmd)
	case "reload":
		return s.cmdReload(ctx, cmd)
	case "server-stream":
		return s.cmdServerStream(ctx, cmd)
	case "set":
		return s.cmdSet(ctx, cmd, quiet, false)
	case "multi-set":
		return s.cmdSet(ctx, cmd, quiet, true)
	case "get":
		return s.cmdGet(cmd)
	}
	return nil, errInvalidCommand()
}

func (s *Server) cmdSleep(ctx context.Context, cmd []any) (any, error) {
	v, err := arg(cmd, 1)
	if err != nil {
		return nil, err
	}
	secs, err := toFloat(v)
	if err != nil {
		return nil, err
	}
	t := time.NewTimer(time.Duration(secs * float64(time.Second)))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, nil
}

// cmdServerStream runs every command of a configuration stream in quiet
// mode; the first failure aborts the rest and is returned.
func (s *Server) cmdServerStream(ctx context.Context, cmd []any) (any, error) {
	v, err := arg(cmd, 1)
	if err != nil {
		return nil, err
	}
	stream, ok := v.([]any)
	if !ok {
		return nil, errInvalidCommand()
	}
	return nil, s.applyStream(ctx, stream)
}

func (s *Server) applyStream(ctx context.Context, stream []any) error {
	for _, c := range stream {
		if err := ctx.Err(); err != nil {
			return err
		}
		sub, ok := asList(c)
		if !ok {
			return errInvalidCommand()
		}
		if _, err := s.dispatch(ctx, sub, true); err != nil {
			s.log.Error("Command " + pyval.Repr(sub) + " has failed. Received " + pyval.Repr(asException(err)))
			return err
		}
	}
	return nil
}

// ApplyStream applies a configuration stream (as produced by pkg/config)
// through the dispatcher, in quiet mode, like `server-stream`, with one
// improvement over fail2ban: a command that fails for one jail (a backend
// that cannot start, a regex that does not compile) skips the rest of that
// jail's commands and is reported, instead of aborting every jail after
// it. The errors are returned joined; the other jails run.
func (s *Server) ApplyStream(ctx context.Context, stream [][]any) error {
	var errs []error
	broken := map[string]bool{}
	for _, cmd := range stream {
		if err := ctx.Err(); err != nil {
			return err
		}
		jail := streamJail(cmd)
		if jail != "" && broken[jail] {
			continue
		}
		if _, err := s.dispatch(ctx, cmd, true); err != nil {
			exc := asException(err)
			s.log.Error("Command " + pyval.Repr(cmd) + " has failed. Received " + pyval.Repr(exc))
			if jail != "" {
				broken[jail] = true
				s.log.Error("Jail " + pyval.Repr(jail) + " skipped: " + pyval.Str(exc))
				s.mu.Lock()
				if _, ok := s.jails[jail]; ok {
					s.removeJail(ctx, jail)
				}
				s.mu.Unlock()
			}
			errs = append(errs, fmt.Errorf("jail %q: %s", jail, pyval.Str(exc)))
		}
	}
	return errors.Join(errs...)
}

// streamJail is the jail a stream command configures ("" for globals).
func streamJail(cmd []any) string {
	if len(cmd) < 2 {
		return ""
	}
	name, _ := cmd[0].(string)
	j, _ := cmd[1].(string)
	switch name {
	case "add", "start":
		return j
	case "set", "multi-set":
		if !isGlobalKey(j) {
			return j
		}
	}
	return ""
}

func asList(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case pyval.Tuple:
		return []any(x), true
	}
	return nil, false
}

func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case int:
		return float64(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case string:
		f, err := parsePyFloat(x)
		if err != nil {
			return 0, errValue("could not convert string to float: %s", pyval.Repr(x))
		}
		return f, nil
	}
	return 0, pyval.NewException("TypeError", "float() argument must be a string or a real number")
}

func parsePyFloat(s string) (float64, error) {
	return parseFloat(strings.TrimSpace(strings.ReplaceAll(s, "_", "")))
}

// SkipJails returns stream without the commands that configure the named
// jails (f2b-server leaves out a jail whose log files are all missing and
// starts the others, where fail2ban refuses to start at all).
func SkipJails(stream [][]any, names ...string) [][]any {
	if len(names) == 0 {
		return stream
	}
	skip := make(map[string]bool, len(names))
	for _, n := range names {
		skip[n] = true
	}
	out := make([][]any, 0, len(stream))
	for _, cmd := range stream {
		if !skip[streamJail(cmd)] {
			out = append(out, cmd)
		}
	}
	return out
}
