package jail

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/f2b/f2b/pkg/ipaddr"
	"github.com/f2b/f2b/pkg/pyval"
)

// NotBannedError is returned by UnbanIP with reportAbsent when some
// arguments were not banned. Its message is fail2ban's ValueError text.
type NotBannedError struct {
	IDs []string // the arguments as given
}

func (e *NotBannedError) Error() string {
	l := make([]any, len(e.IDs))
	for i, s := range e.IDs {
		l[i] = s
	}
	return "not banned: " + pyval.Repr(l)
}

// BanIP is "set <jail> banip <id>…": ban each id now with the jail
// bantime, synchronously (actions included), without ignore checks. It
// returns how many ids were newly banned; an id already banned counts 0
// but its ban is extended to now + bantime.
func (j *Jail) BanIP(ctx context.Context, ids ...string) int {
	tickets := make([]Ticket, 0, len(ids))
	for _, id := range ids {
		k := parseTarget(id)
		tickets = append(tickets, Ticket{IP: k.ip, ID: k.id, Time: j.now(), Matches: []string{}})
	}
	return j.banBatch(ctx, tickets)
}

// UnbanIP is "set <jail> unbanip [--report-absent] <id>…": unban each id
// now and delete its database rows (even when it is not banned). A subnet
// or host name that is not itself banned unbans every banned address it
// contains. With reportAbsent, ids that matched nothing make the call
// return a *NotBannedError after all ids were processed.
func (j *Jail) UnbanIP(ctx context.Context, reportAbsent bool, ids ...string) (int, error) {
	j.actMu.Lock()
	defer j.actMu.Unlock()
	n := 0
	var missing []string
	for _, id := range ids {
		c := j.unbanOne(ctx, id)
		if c == 0 {
			missing = append(missing, id)
		}
		n += c
	}
	if reportAbsent && len(missing) > 0 {
		return n, &NotBannedError{IDs: missing}
	}
	return n, nil
}

func (j *Jail) unbanOne(ctx context.Context, id string) int {
	k := parseTarget(id)
	j.delRows(ctx, idString(k.ip, k.id))
	if t, ok := j.removeBan(k); ok {
		j.unbanTicket(ctx, t)
		return 1
	}
	if k.ip.IsValid() {
		return 0
	}
	n := 0
	for _, t := range j.removeContained(ctx, ipaddr.ParseID(id)) {
		j.delRows(ctx, t.String())
		j.unbanTicket(ctx, t)
		n++
	}
	return n
}

func (j *Jail) delRows(ctx context.Context, ids ...string) {
	if j.opts.Store == nil {
		return
	}
	if err := j.opts.Store.DelBans(ctx, j.opts.Name, ids...); err != nil {
		j.log.Error("deleting bans from database", logKeyIP, strings.Join(ids, " "), logKeyErr, err)
	}
}

func (j *Jail) removeBan(k key) (Ticket, bool) {
	j.banMu.Lock()
	defer j.banMu.Unlock()
	e, ok := j.bm.m[k]
	if !ok {
		return Ticket{}, false
	}
	j.bm.remove(e)
	return e.t, true
}

// removeContained removes the banned addresses inside a subnet, or among
// the addresses a host name resolves to.
func (j *Jail) removeContained(ctx context.Context, a ipaddr.Addr) []Ticket {
	match := a.Contains
	if !a.IsIP() {
		if j.opts.Resolver == nil {
			return nil
		}
		addrs, _ := j.opts.Resolver.LookupNetIP(ctx, "ip", a.RawText())
		if len(addrs) == 0 {
			return nil
		}
		match = func(ip netip.Addr) bool { return slices.Contains(addrs, ip.Unmap()) }
	}
	j.banMu.Lock()
	defer j.banMu.Unlock()
	var out []Ticket
	for e := j.bm.head; e != nil; {
		next := e.next
		if e.t.IP.IsValid() && match(e.t.IP) {
			j.bm.remove(e)
			out = append(out, e.t)
		}
		e = next
	}
	return out
}

// UnbanAll is "unban --all" for this jail: every ban is lifted at once
// through Actions.Flush and all the jail's database rows are deleted.
func (j *Jail) UnbanAll(ctx context.Context) int {
	j.actMu.Lock()
	defer j.actMu.Unlock()
	n := j.flush(ctx)
	j.delRows(ctx)
	return n
}

// flush empties the ban list through Actions.Flush (no database change).
// Callers hold actMu.
func (j *Jail) flush(ctx context.Context) int {
	j.banMu.Lock()
	tickets := j.bm.clear()
	j.banMu.Unlock()
	if len(tickets) == 0 {
		return 0
	}
	for _, t := range tickets {
		j.logBanLine(ctx, "Unban", t)
	}
	if err := j.opts.Actions.Flush(ctx, tickets); err != nil {
		j.log.Error("flushing bans failed", logKeyErr, err)
	}
	return len(tickets)
}
