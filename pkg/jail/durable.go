package jail

import (
	"context"
)

// Syncer is optionally implemented by a Store whose AddBan only queues
// the write. Sync returns once every AddBan made before it is durable
// (committed to the database file). The jail records a batch of bans,
// calls Sync once, and only then runs their actions, so that a ban whose
// action ran is never lost when the daemon is killed, while a burst of
// bans still costs a single commit.
type Syncer interface {
	Sync(ctx context.Context) error
}

// maxBanBatch bounds how many tickets share one database commit and one
// hold of actMu, so socket commands are not kept waiting by a burst.
const maxBanBatch = 1000

// pendingBan is a ticket admitted to the ban list whose actions have not
// run yet.
type pendingBan struct {
	t        Ticket
	recorded bool // a store write was queued for it
}

// banBatch bans tickets in batches: each batch is admitted to the ban
// list and recorded in the store, made durable with one Sync, and then
// handed to the actions. It returns how many tickets were newly banned.
// A cancelled ctx does not cut a batch short: a ban that is recorded gets
// its actions (each bounded by its own timeout), and a stop that comes
// while tickets wait is finished by shutdown, which bans them too, so a
// failure that reached maxretry is never dropped at a restart.
func (j *Jail) banBatch(ctx context.Context, tickets []Ticket) int {
	ctx = context.WithoutCancel(ctx)
	n := 0
	for len(tickets) > 0 {
		k := min(len(tickets), maxBanBatch)
		j.actMu.Lock()
		n += j.banChunk(ctx, tickets[:k])
		j.actMu.Unlock()
		tickets = tickets[k:]
	}
	return n
}

// banChunk is one batch of banBatch. Callers hold actMu.
func (j *Jail) banChunk(ctx context.Context, tickets []Ticket) int {
	pending := make([]pendingBan, 0, len(tickets))
	recorded := 0
	for _, t := range tickets {
		if p, ok := j.admit(ctx, t); ok {
			pending = append(pending, p)
			if p.recorded {
				recorded++
			}
		}
	}
	j.sync(ctx, recorded)
	for _, p := range pending {
		j.runBanActions(ctx, p.t)
	}
	return len(pending)
}

// sync waits until the bans recorded so far are durable, when the store
// can say so and something was recorded.
func (j *Jail) sync(ctx context.Context, n int) {
	s, ok := j.opts.Store.(Syncer)
	if n == 0 || !ok {
		return
	}
	if err := s.Sync(ctx); err != nil {
		j.log.Error("making bans durable", logKeyErr, err)
	}
}

func (j *Jail) runBanActions(ctx context.Context, t Ticket) {
	j.logBan(ctx, t)
	if err := j.opts.Actions.Ban(ctx, t); err != nil {
		j.log.Error("ban actions failed", logKeyIP, t.String(), logKeyErr, err)
	}
}
