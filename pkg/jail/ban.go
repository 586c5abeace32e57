package jail

import (
	"context"
	"log/slog"
	"time"
)

// banTicket runs fail2ban's "banning a ticket": add it to the ban list,
// apply bantime.increment, record it in the store (durably, see Syncer)
// and then run the actions. Callers hold actMu. It reports whether the
// ticket was newly banned.
func (j *Jail) banTicket(ctx context.Context, t Ticket) bool {
	p, ok := j.admit(ctx, t)
	if !ok {
		return false
	}
	if p.recorded {
		j.sync(ctx, 1)
	}
	j.runBanActions(ctx, p.t)
	return true
}

// admit adds t to the ban list, applies bantime.increment and queues its
// store record; the actions are left to the caller, to run once the
// record is durable. Callers hold actMu.
func (j *Jail) admit(ctx context.Context, t Ticket) (pendingBan, bool) {
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
		return pendingBan{}, false
	case !added:
		j.alreadyBanned(ctx, cur, now)
		j.maybeCheck(ctx, cur, now)
		return pendingBan{}, false
	}
	record := !cur.Restored
	if record {
		cur, record = j.increase(ctx, e, cur)
	}
	p := pendingBan{t: cur}
	if record && j.opts.Store != nil {
		p.recorded = true
		if err := j.opts.Store.AddBan(ctx, j.opts.Name, cur); err != nil {
			j.log.Error("recording ban", logKeyIP, cur.String(), logKeyErr, err)
		}
	}
	return p, true
}

func (j *Jail) logBan(ctx context.Context, t Ticket) {
	if t.Restored {
		j.logBanLine(ctx, "Restore Ban", t)
		return
	}
	j.logBanLine(ctx, "Ban", t)
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

// checkInterval is how often at most the actions' consistency check runs
// for ids that keep failing while banned.
const checkInterval = 3 * time.Second

// maybeCheck runs Checker.Check for a banned id seen again, at most every
// checkInterval. Callers hold actMu, which also guards lastCheck.
func (j *Jail) maybeCheck(ctx context.Context, t Ticket, now time.Time) {
	c, ok := j.opts.Actions.(Checker)
	if !ok || now.Sub(t.Time) <= checkInterval || now.Sub(j.lastCheck) < checkInterval {
		return
	}
	j.lastCheck = now
	if err := c.Check(ctx, t); err != nil {
		j.log.Error("action check failed", logKeyIP, t.String(), logKeyErr, err)
	}
}

// increase applies bantime.increment to a new, non-restored ban whose id
// was banned before, updating the entry's end of ban in place. It reports
// false when the ban must not be recorded: the failure predates the last
// recorded ban (a log line read again after a restart), or the increased
// ban already ended.
func (j *Jail) increase(ctx context.Context, e *banEntry, t Ticket) (Ticket, bool) {
	c := j.calc()
	if !c.Increment || j.opts.Store == nil || t.BanTime <= 0 {
		return t, true
	}
	rec, ok, err := j.opts.Store.LastBan(ctx, j.opts.Name, t.String(), c.OverallJails)
	if err != nil {
		j.log.Error("looking up previous bans", logKeyIP, t.String(), logKeyErr, err)
		return t, true
	}
	if !ok {
		return t, true
	}
	base, bt := t.BanTime, t.BanTime
	if rec.Count > 0 {
		if bt, err = c.banTime(base, rec.Count, j.opts.Random); err != nil {
			j.log.Error("computing increased ban time", logKeyIP, t.String(), logKeyErr, err)
			bt = base
		}
	}
	fresh := t.Time.After(rec.Time)
	if fresh {
		logTo(ctx, j.olog, slog.LevelInfo, "[%s] IP %s is bad: %d # last %s - incr %s to %s", j.opts.Name, t,
			rec.Count, rec.Time.Format(timeLayout), secondsString(base), secondsString(bt))
	}
	j.banMu.Lock()
	e.t.BanCount = max(e.t.BanCount, rec.Count+1)
	if bt > base {
		j.bm.setBanTime(e, bt)
	}
	t = e.t
	j.banMu.Unlock()
	if !t.End().After(j.now()) {
		return t, false
	}
	if bt > base {
		logTo(ctx, j.olog, levelNotice, "[%s] Increase Ban %s (%d # %s -> %s)", j.opts.Name, t,
			t.BanCount, secondsString(bt), t.End().Format(timeLayout))
	}
	return t, fresh
}

// unbanEntry removes one ban and runs the unban actions. Callers hold
// actMu.
func (j *Jail) unbanTicket(ctx context.Context, t Ticket) {
	j.logBanLine(ctx, "Unban", t)
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

// processQueue bans every queued ticket, in durable batches.
func (j *Jail) processQueue(ctx context.Context) int {
	return j.banBatch(ctx, j.dequeue())
}
