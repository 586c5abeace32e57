package jail

import (
	"context"
	"time"
)

// legacyBanTime is the bantime -2 of rows upgraded from database v2.
const legacyBanTime = -2 * time.Second

// restore queues the store's current bans of this jail, flagged restored
// (fail2ban's restoreCurrentBans). With bantime.increment every row is
// considered and capped at maxtime; without, only bans younger than
// bantime, capped at bantime.
func (j *Jail) restore(ctx context.Context) {
	if j.opts.Store == nil {
		return
	}
	now := j.now()
	limit := j.MaxBanTime()
	var since time.Time
	if bt := j.BanTime(); !j.BanTimeExtra().Increment && bt > 0 {
		since = now.Add(-bt)
	}
	rows, err := j.opts.Store.CurrentBans(ctx, j.opts.Name, since)
	if err != nil {
		j.log.Error("restoring bans", logKeyErr, err)
		return
	}
	_, rules, _ := j.snapshot()
	for _, t := range rows {
		t, ok := restoredTicket(t, j.BanTime(), limit, now)
		if !ok {
			continue
		}
		if rule := j.isIgnored(ctx, rules, &t); rule != "" {
			j.logf(ctx, levelNotice, "[%s] Ignore %s by %s", j.opts.Name, t.String(), rule)
			continue
		}
		j.enqueue(t)
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
