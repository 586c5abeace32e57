// Package loadgen drives a fail2ban-compatible control socket with many
// keep-alive clients, each with one request in flight at a time, the way a
// busy web application reports failures with `set <jail> attempt`. The
// same loop runs against f2b-server and the real fail2ban-server, so the
// throughput figures of scripts/bench/socket.sh compare the servers and
// not two client implementations.
//
// It speaks the wire protocol through pkg/protocol directly (encode, frame,
// decode) rather than through pkg/client, to keep per-request overhead at
// the codec's cost.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/f2b/f2b/pkg/pyval"
)

// Options configure a Run.
type Options struct {
	// Socket is the server's unix socket path.
	Socket string
	// Clients is the number of concurrent connections (at least 1).
	Clients int
	// Requests is the number of requests each client sends.
	Requests int
	// Command returns request i of client c.
	Command func(c, i int) []any
	// Check validates one reply; nil accepts only (0, anything).
	Check func(reply any) error
	// Spin, when positive, has each client poll its socket for a reply
	// for up to this long before it sleeps in the kernel (Linux only): a
	// client that never sleeps adds no wake-up of its own to a round trip.
	Spin time.Duration
}

// Result summarises a Run.
type Result struct {
	Requests int           // replies received and accepted
	Elapsed  time.Duration // wall time from the first dial to the last reply
}

// PerSecond is the throughput in requests per second.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Attempt returns a Command sending `set <jail> attempt <ip> <msg>` with
// one IPv4 address per client (10.x.y.1, derived from the client index), so
// that each address collects exactly Requests failures.
// The message is built with strconv, not fmt: the client's own work is
// part of every round trip it measures.
func Attempt(jail string) func(c, i int) []any {
	return func(c, i int) []any {
		return []any{"set", jail, "attempt", ClientIP(c), "load test failure " + strconv.Itoa(i)}
	}
}

// ClientIP is the address Attempt uses for client c.
func ClientIP(c int) string {
	return "10." + strconv.Itoa((c>>8)&0xff) + "." + strconv.Itoa(c&0xff) + ".1"
}

// Run starts opts.Clients clients at once and returns when all are done.
// The first error (dial, I/O, or a rejected reply) cancels the others.
func Run(ctx context.Context, opts Options) (Result, error) {
	if opts.Clients < 1 || opts.Requests < 0 || opts.Command == nil {
		return Result{}, fmt.Errorf("loadgen: invalid options (clients %d, requests %d)", opts.Clients, opts.Requests)
	}
	if opts.Check == nil {
		opts.Check = CheckOK
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	counts := make([]int, opts.Clients)
	start := time.Now()
	for c := range opts.Clients {
		wg.Go(func() {
			n, err := runClient(ctx, opts, c)
			counts[c] = n
			if err != nil {
				cancel(fmt.Errorf("client %d: %w", c, err))
			}
		})
	}
	wg.Wait()
	res := Result{Elapsed: time.Since(start)}
	for _, n := range counts {
		res.Requests += n
	}
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return res, err
	}
	return res, ctx.Err()
}

// CheckOK accepts a (0, value) reply.
func CheckOK(reply any) error {
	t, ok := reply.(pyval.Tuple)
	if !ok || len(t) != 2 || t[0] != int64(0) {
		return fmt.Errorf("unexpected reply %s", pyval.Repr(reply))
	}
	return nil
}
