package server

import (
	"context"

	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// serveAttempt answers `set <jail> attempt <id> [<msg>…]` reply first:
// the reply (1, or 0 when the ignore rules ignore the id) is written
// before the attempt's bookkeeping (the "Attempt" log line, the count,
// a ban on the maxretry-th failure), which then overlaps the client's
// turn instead of adding to it. The same goroutine finishes the
// bookkeeping before it reads the connection's next request, so one
// connection's commands still run in order.
//
// No other client can observe the gap: the attempt holds s.gate for
// reading from before its reply is written until the bookkeeping is
// done, and every other command first waits for the gate (barrier). The
// reply is only tried without blocking under the gate; a client that does
// not read its replies gets the rest once the gate is released, so it
// never holds up the others.
//
// It reports false, having done nothing, for any request that is not a
// well-formed attempt on an existing jail; the general path answers those
// (errors included) as before.
func (s *Server) serveAttempt(ctx context.Context, cs *connState, req any) (handled bool, err error) {
	cmd, ok := req.([]any)
	if !ok || len(cmd) < 4 || cmd[0] != "set" || cmd[2] != "attempt" {
		return false, nil
	}
	name, ok := cmd[1].(string)
	if !ok {
		return false, nil
	}
	s.mu.RLock()
	j := s.jails[name]
	s.mu.RUnlock()
	if j == nil {
		return false, nil
	}
	msgs := cs.msgs[:0]
	for _, v := range cmd[4:] {
		msgs = append(msgs, pyval.Str(v))
	}
	p := j.core.BeginAttempt(ctx, pyval.Str(cmd[3]), msgs...)
	pc := cs.pc
	s.gate.RLock()
	err = pc.StartResult(int64(p.Result()))
	if testHookAttemptReplied != nil {
		testHookAttemptReplied()
	}
	p.Record(ctx)
	s.gate.RUnlock()
	// The jail copied what it keeps: the request's list and the messages
	// serve the connection's next attempt.
	clear(msgs)
	cs.msgs = msgs[:0]
	pc.Recycle(cmd)
	if err != nil {
		return true, err
	}
	return true, pc.Flush()
}

// connState is what one connection reuses from request to request.
type connState struct {
	pc   *protocol.Conn
	msgs []string // an attempt's messages
}

// testHookAttemptReplied, when set by a test, runs between an attempt's
// reply and its bookkeeping, to widen the gap that the gate must hide.
var testHookAttemptReplied func()

// barrier waits until every attempt whose reply may have been written has
// finished its bookkeeping, so that the command that follows sees it.
func (s *Server) barrier() {
	s.gate.Lock()
	s.gate.Unlock() // an empty critical section: only the wait matters
}
