package jail

import (
	"context"
	"net/netip"
	"time"
)

// Actions executes the jail's actions. The server adapts pkg/action to
// it. Calls come from one goroutine at a time per jail (the jail
// serialises them), errors are logged by the jail and never undo a ban.
type Actions interface {
	// Start runs every action's start, in order (at jail start).
	Start(ctx context.Context) error
	// Ban runs every action's ban for t, in order; actions with
	// norestored skip tickets with t.Restored.
	Ban(ctx context.Context, t Ticket) error
	// Unban runs every action's unban for t, in order.
	Unban(ctx context.Context, t Ticket) error
	// Flush removes all of tickets at once (actionflush where defined,
	// else per-ticket unban), on jail stop and unban --all.
	Flush(ctx context.Context, tickets []Ticket) error
	// Stop runs every action's stop, in reverse order.
	Stop(ctx context.Context) error
}

// Checker is optionally implemented by Actions. When an id that is
// already banned is queued again more than 3 s after its ban, the jail
// calls Check at most every 3 s: fail2ban's actioncheck, where an action
// that finds its ban gone repairs itself and bans t again (the re-ban of
// tickets with an older ban epoch is the implementation's business).
type Checker interface {
	Check(ctx context.Context, t Ticket) error
}

// BanRecord is a previous ban of an id (the bips row fail2ban keeps).
type BanRecord struct {
	Count   int           // bancount (summed over jails with overalljails)
	Time    time.Time     // timeofban (latest over jails with overalljails)
	BanTime time.Duration // bantime of that row
}

// Store is the part of the database a jail uses. The server adapts
// pkg/store to it; nil means no database (no restore, no increment).
type Store interface {
	// AddBan records a ban (a bans row and the bips row), asynchronously
	// or not; restored tickets are never passed.
	AddBan(ctx context.Context, jail string, t Ticket) error
	// DelBans deletes the bans and bips rows of ids in jail; no ids
	// means every row of the jail.
	DelBans(ctx context.Context, jail string, ids ...string) error
	// LastBan returns the bips row of id in jail (or the aggregate over
	// all jails when overall); ok is false without one.
	LastBan(ctx context.Context, jail, id string, overall bool) (rec BanRecord, ok bool, err error)
	// CurrentBans returns the bips rows of jail with timeofban after
	// since (all rows for the zero time), as tickets with Time, BanTime
	// (seconds; -1 permanent, -2 unknown), BanCount, Failures, Matches and Tags.
	CurrentBans(ctx context.Context, jail string, since time.Time) ([]Ticket, error)
}

// IgnoreCommand runs a jail's ignorecommand for a ticket (tags
// substituted and escaped by the implementation): exit 0 → true, exit 1 →
// false, anything else → error (treated as "not ignored").
type IgnoreCommand interface {
	Ignore(ctx context.Context, command string, t Ticket) (bool, error)
}

// SelfFunc lists the host's own addresses for ignoreself
// (ipaddr.SelfAddrs bound to a resolver).
type SelfFunc func(ctx context.Context) []netip.Addr
