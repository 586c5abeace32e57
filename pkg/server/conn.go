package server

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// serveConn answers the requests of one connection in order until the peer
// closes it, sends the close marker, or ctx ends. Errors never close the
// connection, as in fail2ban; only an oversized message does, since the
// rest of its bytes cannot be framed any more.
func (s *Server) serveConn(ctx context.Context, c net.Conn) {
	defer c.Close()
	var rw io.ReadWriter = c
	if r := newRawIO(c); r != nil { // cheaper per request, see rawIO
		rw = r
	}
	pc := protocol.NewConn(rw, protocol.ConnOptions{})
	cs := &connState{pc: pc}
	for {
		req, err := pc.ReadRequest()
		if err != nil {
			var le *protocol.LoadError
			switch {
			case errors.As(err, &le):
				s.log.Error("PROTO-error: load message failed: " + le.Msg)
				if pc.WriteLoadError(err) != nil {
					return
				}
				continue
			case errors.Is(err, protocol.ErrMessageTooLarge):
				pc.WriteLoadError(err)
				return
			default: // close marker, EOF, read error, shutdown
				return
			}
		}
		if ctxDone(ctx) {
			return
		}
		if s.handle(ctx, cs, req) != nil {
			return
		}
	}
}

// handle answers one decoded request; it returns only write errors.
func (s *Server) handle(ctx context.Context, cs *connState, req any) error {
	pc := cs.pc
	if budget := maxExpanded; exceeds(req, &budget) {
		s.log.Error("PROTO-error: load message failed: " + errExpanded)
		return pc.WriteReply("ERROR: " + errExpanded)
	}
	if handled, err := s.serveAttempt(ctx, cs, req); handled {
		return err
	}
	return s.reply(ctx, pc, req) // Dispatch passes the barrier
}

func (s *Server) reply(ctx context.Context, pc *protocol.Conn, req any) error {
	cmd, ok := asRequest(req)
	if !ok {
		return pc.WriteException(nonListError(req))
	}
	v, err := s.Dispatch(ctx, cmd)
	if err != nil {
		var up errUnpicklable
		if errors.As(err, &up) {
			return pc.WriteReply("ERROR: " + up.msg)
		}
		exc := asException(err)
		s.log.Error("Command " + pyval.Repr(cmd) + " has failed. Received " + pyval.Repr(exc))
		return pc.WriteException(exc)
	}
	return pc.WriteResult(v)
}

// maxExpanded bounds a request's size walked as a tree (8 per item plus
// the bytes of each str/bytes). The pickle memo lets a few hundred bytes
// describe 10^9 items by sharing containers or long strings, and Repr, Str
// and the reply encoder walk values as trees: such a request would pin a
// CPU and gigabytes for minutes (CPython's pickler memoizes by identity
// and answers it quickly). Requests without sharing are at most
// protocol.DefaultMaxMessage when pickled, well under this bound.
const maxExpanded = 2 * protocol.DefaultMaxMessage

const errExpanded = "request too large once shared references are expanded"

// exceeds reports whether v, walked as a tree, costs more than *budget,
// spending from it; it stops as soon as the budget is gone.
func exceeds(v any, budget *int) bool {
	*budget -= 8
	switch x := v.(type) {
	case string:
		*budget -= len(x)
	case pyval.Bytes:
		*budget -= len(x)
	case []any:
		return exceedsAll(x, budget)
	case pyval.Tuple:
		return exceedsAll(x, budget)
	case pyval.Set:
		return exceedsAll(x, budget)
	case pyval.FrozenSet:
		return exceedsAll(x, budget)
	case pyval.Dict:
		for _, it := range x {
			if exceeds(it.Key, budget) || exceeds(it.Value, budget) {
				return true
			}
		}
	}
	return *budget < 0
}

func exceedsAll(items []any, budget *int) bool {
	for _, it := range items {
		if exceeds(it, budget) {
			return true
		}
	}
	return *budget < 0
}

// nonListError is what fail2ban's transmitter raises for a request that is
// not a list, since it indexes command[0]: a str or bytes is a sequence
// whose first item is never a command, an empty one raises IndexError, a
// dict has no key 0 and other values are not subscriptable (observed with
// fail2ban 1.0.2).
func nonListError(req any) *pyval.Exception {
	switch x := req.(type) {
	case string:
		if x == "" {
			return pyval.NewException("IndexError", "string index out of range")
		}
		return errInvalidCommand()
	case pyval.Bytes:
		if len(x) == 0 {
			return pyval.NewException("IndexError", "index out of range")
		}
		return errInvalidCommand()
	}
	_, exc := protocol.Args(req)
	if exc == nil {
		return errInvalidCommand()
	}
	return exc
}

func asRequest(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case pyval.Tuple:
		return []any(x), true
	}
	return nil, false
}
