package jail

import (
	"context"
	"time"
)

// legacyBanTime is the bantime -2 of rows upgraded from database v2.
const legacyBanTime = -2 * time.Second

// BanStreamer is optionally implemented by a Store: EachCurrentBan is
// CurrentBans in chunks, handed to fn in row order while later rows are
// still being read, so restoring a million bans overlaps the database read
// with the ban list and the actions. fn must not keep the slice; an error
// from fn stops the read and is returned.
type BanStreamer interface {
	EachCurrentBan(ctx context.Context, jail string, since time.Time, fn func([]Ticket) error) error
}

// restore queues the store's current bans of this jail, flagged restored
// (fail2ban's restoreCurrentBans). With bantime.increment every row is
// considered and capped at maxtime; without, only bans younger than
// bantime, capped at bantime.
func (j *Jail) restore(ctx context.Context) {
	if j.opts.Store == nil {
		return
	}
	r := j.newRestorer(ctx)
	var since time.Time
	if bt := j.BanTime(); !j.BanTimeExtra().Increment && bt > 0 {
		since = r.now.Add(-bt)
	}
	var err error
	if s, ok := j.opts.Store.(BanStreamer); ok {
		err = s.EachCurrentBan(ctx, j.opts.Name, since, func(rows []Ticket) error {
			r.add(rows)
			return nil
		})
	} else {
		var rows []Ticket
		if rows, err = j.opts.Store.CurrentBans(ctx, j.opts.Name, since); err == nil {
			r.add(rows)
		}
	}
	r.flush()
	if err != nil {
		j.log.Error("restoring bans", logKeyErr, err)
	}
}

// restorer gathers restored tickets into batches for restoreChunk.
type restorer struct {
	j       *Jail
	ctx     context.Context
	now     time.Time
	banTime time.Duration
	limit   time.Duration
	rules   ignoreRules
	batch   []Ticket
}

func (j *Jail) newRestorer(ctx context.Context) *restorer {
	_, rules, _ := j.snapshot()
	return &restorer{j: j, ctx: ctx, now: j.now(), banTime: j.BanTime(), limit: j.MaxBanTime(), rules: rules}
}

func (r *restorer) add(rows []Ticket) {
	if r.batch == nil {
		r.batch = make([]Ticket, 0, min(len(rows), restoreBatch))
	}
	for _, t := range rows {
		t, ok := restoredTicket(t, r.banTime, r.limit, r.now)
		if !ok {
			continue
		}
		if rule := r.j.isIgnored(r.ctx, r.rules, &t); rule != "" {
			r.j.logf(r.ctx, levelNotice, "[%s] Ignore %s by %s", r.j.opts.Name, t.String(), rule)
			continue
		}
		if r.batch = append(r.batch, t); len(r.batch) == restoreBatch {
			r.flush()
		}
	}
}

func (r *restorer) flush() {
	r.j.restoreChunk(r.ctx, r.batch)
	r.batch = r.batch[:0]
}

// BulkActions is optionally implemented by Actions: BanMany bans many
// restored tickets at once (one nft or ipset batch instead of a command
// per ticket), with the same norestored rule as Ban. The jail uses it to
// restore a large ban list quickly at start.
type BulkActions interface {
	BanMany(ctx context.Context, tickets []Ticket) error
}

// restoreBatch is how many restored tickets go to the actions at once:
// with a bulk action, one command each (a million bans, 20 commands).
const restoreBatch = 50000

// restoreChunk adds restored tickets to the ban list and runs their
// actions, in bulk when the actions allow it. Restored bans are already in
// the store, so nothing is written. It reuses tickets' array.
func (j *Jail) restoreChunk(ctx context.Context, tickets []Ticket) {
	if len(tickets) == 0 {
		return
	}
	// As for new bans, a stop does not cut the actions of bans already in
	// the list short (each command has its own timeout).
	ctx = context.WithoutCancel(ctx)
	j.actMu.Lock()
	defer j.actMu.Unlock()
	// The tickets added replace the batch in place (the ban list's copy
	// counts the ban and normalises the address): a million restored bans
	// would otherwise copy every ticket into a fresh slice.
	banned := tickets[:0]
	now := j.now()
	j.banMu.Lock()
	for _, t := range tickets {
		if e, added := j.bm.add(t, now); added {
			banned = append(banned, e.t)
		}
	}
	j.banMu.Unlock()
	for _, t := range banned {
		j.logBan(ctx, t)
	}
	bulk, ok := j.opts.Actions.(BulkActions)
	if !ok {
		for _, t := range banned {
			if err := j.opts.Actions.Ban(ctx, t); err != nil {
				j.log.Error("ban actions failed", logKeyIP, t.String(), logKeyErr, err)
			}
		}
		return
	}
	if err := bulk.BanMany(ctx, banned); err != nil {
		j.log.Error("ban actions failed", logKeyErr, err)
	}
}

// restoredTicket applies the ban time corrections to one stored row and
// drops rows whose ban is over.
func restoredTicket(t Ticket, jailBanTime, limit time.Duration, now time.Time) (Ticket, bool) {
	if t.BanTime == legacyBanTime || t.BanTime == 0 {
		t.BanTime = jailBanTime
	}
	if t.BanTime < 0 {
		t.BanTime = Permanent
	}
	if limit >= 0 && (t.BanTime < 0 || t.BanTime > limit) {
		t.BanTime = limit
	}
	if t.BanTime >= 0 && !t.Time.Add(t.BanTime).After(now) {
		return t, false
	}
	t.Restored = true
	return t, true
}
