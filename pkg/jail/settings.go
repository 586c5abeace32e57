package jail

import (
	"fmt"
	"time"
)

// SetFindTime sets findtime (the fail manager window).
func (j *Jail) SetFindTime(d time.Duration) {
	j.fm.set(func(fm *failManager) { fm.findTime = d })
}

// FindTime returns findtime.
func (j *Jail) FindTime() (d time.Duration) {
	j.fm.get(func(fm *failManager) { d = fm.findTime })
	return d
}

// SetMaxRetry sets maxretry.
func (j *Jail) SetMaxRetry(n int) {
	j.fm.set(func(fm *failManager) { fm.maxRetry = n })
}

// MaxRetry returns maxretry.
func (j *Jail) MaxRetry() (n int) {
	j.fm.get(func(fm *failManager) { n = fm.maxRetry })
	return n
}

// SetMaxMatches sets maxmatches (matches kept per failing id).
func (j *Jail) SetMaxMatches(n int) {
	j.fm.set(func(fm *failManager) { fm.maxMatches = n })
}

// MaxMatches returns maxmatches.
func (j *Jail) MaxMatches() (n int) {
	j.fm.get(func(fm *failManager) { n = fm.maxMatches })
	return n
}

// SetBanTime sets the jail bantime; negative means permanent. Active
// bans keep the ban time they were given.
func (j *Jail) SetBanTime(d time.Duration) {
	if d < 0 {
		d = Permanent
	}
	j.banMu.Lock()
	j.bm.banTime = d
	j.banMu.Unlock()
}

// BanTime returns the jail bantime (Permanent when -1).
func (j *Jail) BanTime() time.Duration {
	j.banMu.RLock()
	defer j.banMu.RUnlock()
	return j.bm.banTime
}

// SetIgnoreSelf switches ignoreself.
func (j *Jail) SetIgnoreSelf(on bool) {
	j.cfgMu.Lock()
	j.ignore.self = on
	j.cfgMu.Unlock()
}

// IgnoreSelf reports ignoreself.
func (j *Jail) IgnoreSelf() bool {
	j.cfgMu.RLock()
	defer j.cfgMu.RUnlock()
	return j.ignore.self
}

// SetIgnoreCommand sets ignorecommand ("" disables).
func (j *Jail) SetIgnoreCommand(cmd string) {
	j.cfgMu.Lock()
	j.ignore.command = cmd
	j.cfgMu.Unlock()
}

// IgnoreCommand returns ignorecommand; ok is false while it was never
// set (fail2ban's get then replies False).
func (j *Jail) IgnoreCommand() (cmd string, ok bool) {
	j.cfgMu.RLock()
	defer j.cfgMu.RUnlock()
	return j.ignore.command, j.ignore.command != ""
}

// SetIgnoreCache enables the ignore verdict cache; nil disables it.
func (j *Jail) SetIgnoreCache(o *IgnoreCacheOptions) {
	j.cfgMu.Lock()
	defer j.cfgMu.Unlock()
	if o == nil {
		j.ignore.cache = nil
		return
	}
	j.ignore.cache = newIgnoreCache(*o)
}

// IgnoreCache returns the cache options (with defaults filled), or nil.
func (j *Jail) IgnoreCache() *IgnoreCacheOptions {
	j.cfgMu.RLock()
	defer j.cfgMu.RUnlock()
	if j.ignore.cache == nil {
		return nil
	}
	o := j.ignore.cache.opts
	return &o
}

// SetBanTimeExtra replaces the bantime.* options. A formula or factor
// outside the supported arithmetic subset is rejected.
func (j *Jail) SetBanTimeExtra(e BanTimeExtra) error {
	c, err := compileBanTimeExtra(e)
	if err != nil {
		return fmt.Errorf("jail %q: %w", j.opts.Name, err)
	}
	if e.Increment && j.opts.Store == nil {
		j.log.Warn("ban time increment is not available as long jail database is not set")
	}
	j.cfgMu.Lock()
	j.extra = c
	j.cfgMu.Unlock()
	return nil
}

// BanTimeExtra returns the bantime.* options.
func (j *Jail) BanTimeExtra() BanTimeExtra {
	j.cfgMu.RLock()
	defer j.cfgMu.RUnlock()
	return j.extra.BanTimeExtra
}

// MaxBanTime is the longest ban a restore may keep: maxtime (or
// permanent) with bantime.increment, else the jail bantime.
func (j *Jail) MaxBanTime() time.Duration {
	e := j.BanTimeExtra()
	switch {
	case !e.Increment:
		return j.BanTime()
	case e.MaxTime > 0:
		return e.MaxTime
	}
	return Permanent
}

// SetIdle pauses (true) or resumes the jail: while idle, failures from
// the log are dropped and the run loop neither bans nor unbans.
func (j *Jail) SetIdle(on bool) {
	j.cfgMu.Lock()
	j.idle = on
	j.cfgMu.Unlock()
	j.signal()
}

// Idle reports the idle flag.
func (j *Jail) Idle() bool {
	j.cfgMu.RLock()
	defer j.cfgMu.RUnlock()
	return j.idle
}

func (j *Jail) calc() *banCalc {
	j.cfgMu.RLock()
	defer j.cfgMu.RUnlock()
	return j.extra
}
