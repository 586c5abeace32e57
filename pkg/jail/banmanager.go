package jail

import (
	"container/heap"
	"time"
)

// DefaultBanTime is fail2ban's default bantime.
const DefaultBanTime = 10 * time.Minute

// banEntry is one active ban. It is at the same time a heap element
// (ordered by end of ban) and a node of the ban-order list, so every
// operation on it is O(1) or O(log n) and a ban costs one allocation.
type banEntry struct {
	t          Ticket
	k          key
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
	e := &banEntry{t: t, k: k, eob: eob, seq: bm.seq}
	bm.m[k] = e
	heap.Push(&bm.h, e)
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
	heap.Fix(&bm.h, e.idx)
}

// setBanTime replaces e's ban time (bantime.increment) and reschedules.
func (bm *banManager) setBanTime(e *banEntry, d time.Duration) {
	e.t.BanTime = d
	e.eob = eobOf(&e.t)
	heap.Fix(&bm.h, e.idx)
}

// remove deletes e from every index.
func (bm *banManager) remove(e *banEntry) {
	delete(bm.m, e.k)
	heap.Remove(&bm.h, e.idx)
	bm.unlink(e)
}

// popExpired removes and returns up to limit bans with now > eob.
func (bm *banManager) popExpired(now time.Time, limit int) []Ticket {
	var out []Ticket
	n := now.UnixNano()
	for len(bm.h) > 0 && len(out) < limit && n > bm.h[0].eob {
		e := bm.h[0]
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

// banHeap orders entries by end of ban, ties by ban order.
type banHeap []*banEntry

func (h banHeap) Len() int { return len(h) }
func (h banHeap) Less(i, j int) bool {
	if h[i].eob != h[j].eob {
		return h[i].eob < h[j].eob
	}
	return h[i].seq < h[j].seq
}
func (h banHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *banHeap) Push(x any) {
	e := x.(*banEntry)
	e.idx = len(*h)
	*h = append(*h, e)
}
func (h *banHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.idx = -1
	return e
}
