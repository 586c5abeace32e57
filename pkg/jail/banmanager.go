package jail

import (
	"slices"
	"time"
)

// DefaultBanTime is fail2ban's default bantime.
const DefaultBanTime = 10 * time.Minute

// banEntry is one active ban. It is at the same time a heap element
// (ordered by end of ban) and a node of the ban-order list, so every
// operation on it is O(1) or O(log n) and a ban costs one allocation.
type banEntry struct {
	t          Ticket
	eob        int64 // end of ban, unix ns; permanentEOB when permanent
	seq        uint64
	idx        int // heap index
	prev, next *banEntry
}

// banManager holds the ban list. It is not locked itself; Jail guards it
// with banMu.
type banManager struct {
	m          map[key]*banEntry
	h          banHeap
	head, tail *banEntry
	seq        uint64
	total      int
	banTime    time.Duration
}

func newBanManager() *banManager {
	return &banManager{m: make(map[key]*banEntry), banTime: DefaultBanTime}
}

// eob computes a ticket's end of ban.
func eobOf(t *Ticket) int64 {
	if t.BanTime < 0 {
		return permanentEOB
	}
	return t.Time.UnixNano() + int64(t.BanTime)
}

// add inserts t (its BanTime already resolved). It returns the entry and
// whether it was added; an existing entry gets its end of ban extended if
// t ends later. A ticket whose ban already ended is rejected (nil, false).
func (bm *banManager) add(t Ticket, now time.Time) (*banEntry, bool) {
	k := makeKey(t.IP, t.ID)
	eob := eobOf(&t)
	if e, ok := bm.m[k]; ok {
		bm.prolong(e, &t, eob)
		return e, false
	}
	if eob < now.UnixNano() {
		return nil, false
	}
	t.BanCount++
	bm.seq++
	t.IP, t.ID = k.ip, k.id
	e := &banEntry{t: t, eob: eob, seq: bm.seq}
	bm.m[k] = e
	bm.h.push(e)
	bm.link(e)
	bm.total++
	return e, true
}

// prolong moves e's end of ban to eob if that is later, keeping the
// original start (fail2ban extends the ban time by the difference).
func (bm *banManager) prolong(e *banEntry, t *Ticket, eob int64) {
	if eob <= e.eob {
		return
	}
	if t.BanTime < 0 {
		e.t.BanTime = Permanent
	} else {
		e.t.BanTime = t.BanTime + t.Time.Sub(e.t.Time)
	}
	e.eob = eob
	bm.h.fix(e.idx)
}

// setBanTime replaces e's ban time (bantime.increment) and reschedules.
func (bm *banManager) setBanTime(e *banEntry, d time.Duration) {
	e.t.BanTime = d
	e.eob = eobOf(&e.t)
	bm.h.fix(e.idx)
}

// key returns e's id in the ban map (the ticket's id is normalised on add).
func (e *banEntry) key() key { return key{ip: e.t.IP, id: e.t.ID} }

// remove deletes e from every index.
func (bm *banManager) remove(e *banEntry) {
	delete(bm.m, e.key())
	bm.h.remove(e.idx)
	bm.unlink(e)
}

// popExpired removes and returns up to limit bans with now > eob.
func (bm *banManager) popExpired(now time.Time, limit int) []Ticket {
	var out []Ticket
	n := now.UnixNano()
	for len(bm.h) > 0 && len(out) < limit && n > bm.h[0].eob {
		e := bm.h[0].e
		bm.remove(e)
		out = append(out, e.t)
	}
	return out
}

// nextEOB returns the earliest end of ban (ok false with no timed ban).
func (bm *banManager) nextEOB() (int64, bool) {
	if len(bm.h) == 0 || bm.h[0].eob == permanentEOB {
		return 0, false
	}
	return bm.h[0].eob, true
}

func (bm *banManager) link(e *banEntry) {
	e.prev = bm.tail
	if bm.tail != nil {
		bm.tail.next = e
	} else {
		bm.head = e
	}
	bm.tail = e
}

func (bm *banManager) unlink(e *banEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		bm.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		bm.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

// tickets returns the bans in ban order.
func (bm *banManager) tickets() []Ticket {
	out := make([]Ticket, 0, len(bm.m))
	for e := bm.head; e != nil; e = e.next {
		out = append(out, e.t)
	}
	return out
}

// clear drops every ban and returns them in ban order.
func (bm *banManager) clear() []Ticket {
	out := bm.tickets()
	clear(bm.m)
	bm.h = bm.h[:0]
	bm.head, bm.tail = nil, nil
	return out
}

// banHeap is a binary min-heap of ends of ban. The keys live in the
// slice itself, so sifting compares neighbouring memory instead of
// chasing a pointer per comparison (with a million bans that is the
// difference between cache hits and misses); each entry knows its index.
type banHeap []heapSlot

type heapSlot struct {
	eob int64
	seq uint64
	e   *banEntry
}

func (s heapSlot) less(o heapSlot) bool {
	return s.eob < o.eob || (s.eob == o.eob && s.seq < o.seq)
}

func (h banHeap) set(i int, s heapSlot) {
	h[i] = s
	s.e.idx = i
}

func (h *banHeap) push(e *banEntry) {
	if len(*h) == cap(*h) {
		// Double the array: append grows a large slice by only a quarter,
		// so restoring a million bans copied it over a dozen times.
		*h = slices.Grow(*h, max(len(*h), 64))
	}
	*h = append(*h, heapSlot{})
	h.set(len(*h)-1, heapSlot{e.eob, e.seq, e})
	h.up(len(*h) - 1)
}

// remove deletes the slot at i.
func (h *banHeap) remove(i int) {
	old := *h
	last := len(old) - 1
	old[i].e.idx = -1
	if i != last {
		old.set(i, old[last])
	}
	old[last] = heapSlot{}
	*h = old[:last]
	if i != last {
		h.fix(i)
	}
}

// fix restores the order after the entry at i changed its eob.
func (h banHeap) fix(i int) {
	e := h[i].e
	h[i].eob = e.eob
	if !h.down(i) {
		h.up(i)
	}
}

func (h banHeap) up(i int) {
	s := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if !s.less(h[p]) {
			break
		}
		h.set(i, h[p])
		i = p
	}
	h.set(i, s)
}

func (h banHeap) down(i0 int) bool {
	s, i, n := h[i0], i0, len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h[r].less(h[c]) {
			c = r
		}
		if !h[c].less(s) {
			break
		}
		h.set(i, h[c])
		i = c
	}
	h.set(i, s)
	return i > i0
}
