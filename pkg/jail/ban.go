package jail

import (
	"context"
	"log/slog"
	"time"
)

// banTicket runs fail2ban's "banning a ticket": add it to the ban list,
// apply bantime.increment, run the actions and record it in the store.
// Callers hold actMu. It reports whether the ticket was newly banned.
func (j *Jail) banTicket(ctx context.Context, t Ticket) bool {
	now := j.now()
	j.banMu.Lock()
	if t.BanTime == 0 {
		t.BanTime = j.bm.banTime
	}
	e, added := j.bm.add(t, now)
	var cur Ticket
	if e != nil {
		cur = e.t
	}
	j.banMu.Unlock()
	switch {
	case e == nil:
		j.logf(ctx, slog.LevelInfo, "[%s] Ignore %s, expired bantime", j.opts.Name, t)
		return false
	case !added:
		j.alreadyBanned(ctx, cur, now)
		return false
	}
	if !cur.Restored {
		cur = j.increase(ctx, e, cur)
	}
	j.logBan(ctx, cur)
	if err := j.opts.Actions.Ban(ctx, cur); err != nil {
		j.log.Error("ban actions failed", logKeyIP, cur.String(), logKeyErr, err)
	}
	if !cur.Restored && j.opts.Store != nil {
		if err := j.opts.Store.AddBan(ctx, j.opts.Name, cur); err != nil {
			j.log.Error("recording ban", logKeyIP, cur.String(), logKeyErr, err)
		}
	}
	return true
}

func (j *Jail) logBan(ctx context.Context, t Ticket) {
	if t.Restored {
		j.logf(ctx, levelNotice, "[%s] Restore Ban %s", j.opts.Name, t)
		return
	}
	j.logf(ctx, levelNotice, "[%s] Ban %s", j.opts.Name, t)
}

// alreadyBanned logs at fail2ban's graded level: DEBUG within 3 s of the
// ban, NOTICE within a minute, WARNING after that.
func (j *Jail) alreadyBanned(ctx context.Context, t Ticket, now time.Time) {
	level := slog.LevelWarn
	switch age := now.Sub(t.Time); {
	case age < 3*time.Second:
		level = slog.LevelDebug
	case age < time.Minute:
		level = levelNotice
	}
	j.logf(ctx, level, "[%s] %s already banned", j.opts.Name, t)
}

// increase applies bantime.increment to a new, non-restored ban whose id
// was banned before, updating the entry's end of ban in place.
func (j *Jail) increase(ctx context.Context, e *banEntry, t Ticket) Ticket {
	c := j.calc()
	if !c.Increment || j.opts.Store == nil || t.BanTime <= 0 {
		return t
	}
	rec, ok, err := j.opts.Store.LastBan(ctx, j.opts.Name, t.String(), c.OverallJails)
	if err != nil {
		j.log.Error("looking up previous bans", logKeyIP, t.String(), logKeyErr, err)
		return t
	}
	if !ok {
		return t
	}
	count := max(t.BanCount, rec.Count+1)
	bt := t.BanTime
	if rec.Count > 0 {
		if bt, err = c.banTime(t.BanTime, rec.Count, j.opts.Random); err != nil {
			j.log.Error("computing increased ban time", logKeyIP, t.String(), logKeyErr, err)
			bt = t.BanTime
		}
	}
	j.banMu.Lock()
	e.t.BanCount = count
	j.bm.setBanTime(e, bt)
	t = e.t
	j.banMu.Unlock()
	if t.Time.After(rec.Time) {
		j.logf(ctx, slog.LevelInfo, "[%s] IP %s is bad: %d # last %s - incr %s to %s", j.opts.Name, t.String(),
			rec.Count, rec.Time.Format(timeLayout), secondsString(rec.BanTime), secondsString(bt))
	}
	j.logf(ctx, levelNotice, "[%s] Increase Ban %s (%d # %s -> %s)", j.opts.Name, t.String(),
		t.BanCount, secondsString(bt), t.End().Format(timeLayout))
	return t
}

// unbanEntry removes one ban and runs the unban actions. Callers hold
// actMu.
func (j *Jail) unbanTicket(ctx context.Context, t Ticket) {
	j.logf(ctx, levelNotice, "[%s] Unban %s", j.opts.Name, t)
	if err := j.opts.Actions.Unban(ctx, t); err != nil {
		j.log.Error("unban actions failed", logKeyIP, t.String(), logKeyErr, err)
	}
}

// unbanExpired unbans every ban whose end has passed.
func (j *Jail) unbanExpired(ctx context.Context) int {
	j.actMu.Lock()
	defer j.actMu.Unlock()
	j.banMu.Lock()
	expired := j.bm.popExpired(j.now(), 1<<30)
	j.banMu.Unlock()
	for _, t := range expired {
		j.unbanTicket(ctx, t)
	}
	return len(expired)
}

// processQueue bans every queued ticket.
func (j *Jail) processQueue(ctx context.Context) int {
	n := 0
	for _, t := range j.dequeue() {
		j.actMu.Lock()
		if j.banTicket(ctx, t) {
			n++
		}
		j.actMu.Unlock()
	}
	return n
}
