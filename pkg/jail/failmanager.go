package jail

import (
	"math"
	"slices"
	"sync"
	"time"

	"github.com/f2b/f2b/pkg/tags"
)

// Fail manager defaults (fail2ban's failmanager.py).
const (
	DefaultMaxRetry   = 3
	DefaultFindTime   = 10 * time.Minute
	DefaultMaxMatches = 5
	// purgeInterval bounds how often expired failures are swept.
	purgeInterval = 5 * time.Second
)

// failEntry is fail2ban's FailTicket: no per-failure timestamps, only the
// first and last time and a retry counter that is rescaled when the span
// exceeds findtime.
type failEntry struct {
	first, last int64 // unix nanoseconds
	retry       int
	failures    int
	banCount    int
	matches     []string
	// tags is the union of the failures' tags, the latest value winning:
	// the entry's own copy (a failure's list may be reused by its
	// filter), updated in place by the failures that follow.
	tags tags.List
}

// failManager counts failures per id. One mutex guards everything: an
// addition is a map probe and a few stores, far below the cost of
// sharding for the rates a log pipeline produces.
type failManager struct {
	mu         sync.Mutex
	m          map[key]*failEntry
	total      int
	findTime   time.Duration
	maxRetry   int
	maxMatches int
	lastPurge  int64
}

func newFailManager() *failManager {
	return &failManager{
		m:          make(map[key]*failEntry),
		findTime:   DefaultFindTime,
		maxRetry:   DefaultMaxRetry,
		maxMatches: DefaultMaxMatches,
	}
}

// add counts one failure addition carrying count retries and returns a
// ban ticket when the id reached maxretry (and was removed). now drives
// the periodic expiry sweep.
func (fm *failManager) add(k key, f *Failure, count, banCount int, now time.Time) (Ticket, bool) {
	t := f.Time.UnixNano()
	fm.mu.Lock()
	defer fm.mu.Unlock()
	fm.maybePurge(now.UnixNano())
	e, ok := fm.m[k]
	if !ok {
		e = &failEntry{first: t, last: t, retry: max(count, 1), failures: 1}
		e.matches = append(e.matches, f.Matches...)
		e.tags = slices.Clone(f.Tags)
		fm.m[k] = e
	} else {
		fm.adjust(e, t)
		e.retry += count
		e.failures++
		e.addMatches(f.Matches, fm.maxMatches)
		e.mergeTags(f.Tags)
	}
	e.banCount = max(e.banCount, banCount)
	fm.total++
	if e.retry < fm.maxRetry {
		return Ticket{}, false
	}
	delete(fm.m, k)
	return e.ticket(k), true
}

// adjust is fail2ban's rate rescaling: when a new failure lies more than
// findtime after the first one, the retry count is scaled to one findtime
// window (Python round: half to even) and the window start moves.
func (fm *failManager) adjust(e *failEntry, t int64) {
	if t <= e.last {
		return
	}
	ft := int64(fm.findTime)
	if e.first < t-ft {
		r := float64(e.retry) / float64(t-e.first) * float64(ft)
		e.retry = int(math.RoundToEven(r))
		e.first = t - ft
	}
	e.last = t
}

func (e *failEntry) addMatches(m []string, maxMatches int) {
	if maxMatches <= 0 {
		e.matches = nil
		return
	}
	e.matches = append(e.matches, m...)
	if over := len(e.matches) - maxMatches; over > 0 {
		n := copy(e.matches, e.matches[over:])
		clear(e.matches[n:])
		e.matches = e.matches[:n]
	}
}

// mergeTags overlays u on the entry's tags (fail2ban's dict.update).
func (e *failEntry) mergeTags(u tags.List) {
	e.tags = e.tags.Update(u)
}

func (e *failEntry) ticket(k key) Ticket {
	return Ticket{
		IP: k.ip, ID: k.id,
		Time:     time.Unix(0, e.last),
		BanCount: e.banCount,
		Failures: e.failures,
		Matches:  e.matches,
		Tags:     e.tags,
	}
}

// maybePurge sweeps at most every purgeInterval. Caller holds mu.
func (fm *failManager) maybePurge(now int64) {
	if now-fm.lastPurge < int64(purgeInterval) {
		return
	}
	fm.purgeLocked(now)
}

// purgeLocked deletes ids whose last failure is at least findtime old.
func (fm *failManager) purgeLocked(now int64) {
	fm.lastPurge = now
	limit := now - int64(fm.findTime)
	for k, e := range fm.m {
		if e.last <= limit {
			delete(fm.m, k)
		}
	}
}

// counts returns currently and total failed, sweeping first so the
// status never shows ids that already expired.
func (fm *failManager) counts(now time.Time) (current, total int) {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	fm.purgeLocked(now.UnixNano())
	return len(fm.m), fm.total
}

// retries returns the retry count of k (0 when unknown).
func (fm *failManager) retries(k key) int {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	if e, ok := fm.m[k]; ok {
		return e.retry
	}
	return 0
}

func (fm *failManager) set(fn func(fm *failManager)) {
	fm.mu.Lock()
	fn(fm)
	fm.mu.Unlock()
}

func (fm *failManager) get(fn func(fm *failManager)) {
	fm.mu.Lock()
	fn(fm)
	fm.mu.Unlock()
}
