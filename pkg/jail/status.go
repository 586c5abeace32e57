package jail

import (
	"cmp"
	"slices"
)

// Status holds the counters of "status <jail>" (the file list or journal
// matches come from the server's backend).
type Status struct {
	CurrentlyFailed int      // ids with pending failures
	TotalFailed     int      // failure additions since start
	CurrentlyBanned int      // size of the ban list
	TotalBanned     int      // tickets added to the ban list since start
	BannedIPs       []string // ban list in ban order
}

// Status returns a snapshot of the counters.
func (j *Jail) Status() Status {
	var s Status
	s.CurrentlyFailed, s.TotalFailed = j.fm.counts(j.now())
	j.banMu.RLock()
	defer j.banMu.RUnlock()
	s.CurrentlyBanned, s.TotalBanned = len(j.bm.m), j.bm.total
	s.BannedIPs = make([]string, 0, len(j.bm.m))
	for e := j.bm.head; e != nil; e = e.next {
		s.BannedIPs = append(s.BannedIPs, e.t.String())
	}
	return s
}

// Banned reports for each id whether it is currently banned.
func (j *Jail) Banned(ids ...string) []bool {
	out := make([]bool, len(ids))
	j.banMu.RLock()
	defer j.banMu.RUnlock()
	for i, id := range ids {
		_, out[i] = j.bm.m[parseTarget(id)]
	}
	return out
}

// BannedIDs returns the banned ids in ban order ("get <jail> banned").
func (j *Jail) BannedIDs() []string { return j.Status().BannedIPs }

// Tickets returns the active bans in ban order.
func (j *Jail) Tickets() []Ticket {
	j.banMu.RLock()
	defer j.banMu.RUnlock()
	return j.bm.tickets()
}

// TicketsByEnd returns the active bans ordered by end of ban, ties in ban
// order ("get <jail> banip"); permanent bans come last.
func (j *Jail) TicketsByEnd() []Ticket {
	type ordered struct {
		eob int64
		seq uint64
		t   Ticket
	}
	j.banMu.RLock()
	all := make([]ordered, 0, len(j.bm.m))
	for e := j.bm.head; e != nil; e = e.next {
		all = append(all, ordered{e.eob, e.seq, e.t})
	}
	j.banMu.RUnlock()
	slices.SortFunc(all, func(a, b ordered) int {
		return cmp.Or(cmp.Compare(a.eob, b.eob), cmp.Compare(a.seq, b.seq))
	})
	out := make([]Ticket, len(all))
	for i, o := range all {
		out[i] = o.t
	}
	return out
}

// Retries returns the retry count pending for id (0 when none).
func (j *Jail) Retries(id string) int { return j.fm.retries(parseTarget(id)) }
