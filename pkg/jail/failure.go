package jail

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/f2b/f2b/pkg/ipaddr"
	"github.com/f2b/f2b/pkg/logging"
)

// levelNotice is fail2ban's NOTICE (between INFO and WARNING); pkg/logging
// renders it by name.
const levelNotice = slog.Level(2)

// timeLayout is how fail2ban prints times in log messages and banip lists.
const timeLayout = "2006-01-02 15:04:05"

// snapshot reads the per-failure configuration under one lock.
func (j *Jail) snapshot() (idle bool, r ignoreRules, c *banCalc) {
	j.cfgMu.RLock()
	defer j.cfgMu.RUnlock()
	return j.idle, j.ignore, j.extra
}

// AddFailure counts one failure reported by the filter. Ignored ids
// (ignoreself, ignoreip, ignorecommand) are dropped, and so is everything
// while the jail is idle. It reports whether the failure completed
// maxretry and queued a ban for the run loop.
func (j *Jail) AddFailure(ctx context.Context, f Failure) bool {
	idle, r, c := j.snapshot()
	if idle {
		return false
	}
	return j.add(ctx, f, "Found", 1, r, c, true, true)
}

// Attempt is "set <jail> attempt <id> [<msg>…]": a failure at the current
// time carrying msgs as its matches and counting len(msgs) (at least 1)
// retries. It returns 1 when counted and 0 when the id is ignored (the
// ignore rules apply unless Options.AttemptSkipsIgnore, as in 1.0.2).
func (j *Jail) Attempt(ctx context.Context, id string, msgs ...string) int {
	p := j.BeginAttempt(ctx, id, msgs...)
	p.Record(ctx)
	return p.Result()
}

// PendingAttempt is an attempt whose result is decided (the ignore rules
// have run) but whose bookkeeping is not done: the log line, the count in
// the fail manager, a ban queued on the maxretry-th failure. The socket
// writes the reply in between, so that the bookkeeping overlaps the
// client's turn. Record must be called exactly once.
type PendingAttempt struct {
	j       *Jail
	f       Failure
	k       key
	t       Ticket
	c       *banCalc
	count   int
	observe bool
	ignored bool
}

// BeginAttempt is the first half of Attempt: it checks the ignore rules
// (logging an ignored id at once) and returns the attempt for Record.
func (j *Jail) BeginAttempt(ctx context.Context, id string, msgs ...string) PendingAttempt {
	_, r, c := j.snapshot()
	f := Failure{Time: j.now(), Matches: msgs}
	if a := ipaddr.ParseID(id); a.IsSingle() {
		f.IP = a.IP()
	} else {
		f.ID = id
	}
	v11 := !j.opts.AttemptSkipsIgnore
	p := PendingAttempt{j: j, f: f, c: c, count: max(len(msgs), 1), observe: v11}
	p.k, p.t, p.ignored = j.check(ctx, &p.f, r, v11)
	return p
}

// Result is the attempt's reply: 1 when counted, 0 when ignored.
func (p *PendingAttempt) Result() int {
	if p.ignored {
		return 0
	}
	return 1
}

// Record does the attempt's bookkeeping; nothing for an ignored id.
func (p *PendingAttempt) Record(ctx context.Context) {
	if p.ignored {
		return
	}
	var logAt time.Time // now, read by the logger
	if p.j.sysNow {
		logAt = p.f.Time // read from the same clock just before the reply
	}
	p.j.record(ctx, &p.f, p.k, p.t, "Attempt", p.count, p.c, p.observe, logAt)
}

// add is the common path; it returns false only when the id was ignored.
// verb is how the failure is logged: "Found" for log lines, "Attempt"
// for `set <jail> attempt`, as fail2ban words them.
func (j *Jail) add(ctx context.Context, f Failure, verb string, count int, r ignoreRules, c *banCalc, checkIgnore, observe bool) bool {
	k, t, ignored := j.check(ctx, &f, r, checkIgnore)
	if ignored {
		return false
	}
	j.record(ctx, &f, k, t, verb, count, c, observe, time.Time{})
	return true
}

// check builds f's key and ticket and, when checkIgnore is set, applies
// the ignore rules, logging an ignored id.
func (j *Jail) check(ctx context.Context, f *Failure, r ignoreRules, checkIgnore bool) (k key, t Ticket, ignored bool) {
	k = makeKey(f.IP, f.ID)
	t = Ticket{IP: k.ip, ID: k.id, Time: f.Time, Tags: f.Tags}
	if checkIgnore {
		if rule := j.isIgnored(ctx, r, &t); rule != "" {
			logTo(ctx, j.flog, slog.LevelInfo, "[%s] Ignore %s by %s", j.opts.Name, t.String(), rule)
			return k, t, true
		}
	}
	return k, t, false
}

// record logs a counted failure, adds it to the fail manager and queues
// the ban it completes. logAt is the log line's time; zero means now.
func (j *Jail) record(ctx context.Context, f *Failure, k key, t Ticket, verb string, count int, c *banCalc, observe bool, logAt time.Time) {
	if j.flog.Enabled(ctx, slog.LevelInfo) {
		logging.LogAt(ctx, j.flog, slog.LevelInfo, logAt, failureLine(j.opts.Name, verb, t.IP, t.ID, f.Time))
	}
	banCount := 0
	if observe && c.Increment && j.opts.Store != nil {
		count, banCount = j.badIP(ctx, &t, count)
	}
	// The failure time drives the expiry sweep: the filter clips log times
	// to within a minute of now, and time.Now would dominate this path.
	if bt, ok := j.fm.add(k, f, count, banCount, f.Time); ok {
		j.enqueue(bt)
	}
}

// failureLine is "[<jail>] <verb> <id> - <time>", the id being ip's
// text when ip is valid (as Ticket.String), built in one buffer on the
// stack: it is logged once per failure and per socket attempt, where
// fmt.Sprintf's boxing and reflection were a visible share of the CPU,
// and the allocations of the buffer and the address's text after them.
func failureLine(jail, verb string, ip netip.Addr, id string, at time.Time) string {
	var buf [128]byte
	b := append(buf[:0], '[')
	b = append(b, jail...)
	b = append(b, "] "...)
	b = append(b, verb...)
	b = append(b, ' ')
	if ip.IsValid() {
		b = ip.Unmap().WithZone("").AppendTo(b) // idString's text, without its allocation
	} else {
		b = append(b, id...)
	}
	b = append(b, " - "...)
	b = logging.AppendDateTime(b, at) // at.AppendFormat(b, timeLayout), faster
	return string(b)
}

// badIP is the bantime.increment acceleration: an id with previous bans
// counts more retries per failure, unless the failure predates its last
// ban (a log line read again after a restart).
func (j *Jail) badIP(ctx context.Context, t *Ticket, count int) (int, int) {
	rec, ok, err := j.opts.Store.LastBan(ctx, j.opts.Name, t.String(), false)
	if err != nil {
		j.log.Error("looking up previous bans", logKeyIP, t.String(), logKeyErr, err)
		return count, 0
	}
	if !ok || rec.Count <= 0 || !t.Time.After(rec.Time) {
		return count, 0
	}
	r := badRetries(rec.Count, j.MaxRetry())
	if r <= 1 {
		return count, rec.Count
	}
	logTo(ctx, j.olog, slog.LevelInfo, "[%s] Found %s, bad - %s, %d # -> %d", j.opts.Name, t.String(),
		t.Time.Format(timeLayout), rec.Count, r)
	return count + r - 1, rec.Count
}

func (j *Jail) enqueue(t Ticket) {
	j.qMu.Lock()
	j.queue = append(j.queue, t)
	j.qMu.Unlock()
	j.signal()
}

func (j *Jail) signal() {
	select {
	case j.wake <- struct{}{}:
	default:
	}
}

// dequeue takes every queued ticket.
func (j *Jail) dequeue() []Ticket {
	j.qMu.Lock()
	defer j.qMu.Unlock()
	q := j.queue
	j.queue = nil
	return q
}

// Queued returns the number of tickets waiting for the run loop.
func (j *Jail) Queued() int {
	j.qMu.Lock()
	defer j.qMu.Unlock()
	return len(j.queue)
}

// logf logs an actions message (fail2ban.actions).
func (j *Jail) logf(ctx context.Context, level slog.Level, format string, args ...any) {
	logTo(ctx, j.log, level, format, args...)
}

// logTo formats only when l takes the level: the hot path logs Found per
// failure.
func logTo(ctx context.Context, l *slog.Logger, level slog.Level, format string, args ...any) {
	if !l.Enabled(ctx, level) {
		return
	}
	l.Log(ctx, level, fmt.Sprintf(format, args...))
}
