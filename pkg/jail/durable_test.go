package jail

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// syncLog is a shared, ordered event log for a store and actions.
type syncLog struct {
	mu     sync.Mutex
	events []string
}

func (l *syncLog) add(s string) {
	l.mu.Lock()
	l.events = append(l.events, s)
	l.mu.Unlock()
}

func (l *syncLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events)
}

// syncStore is a memStore with Sync, logging queued and durable writes.
type syncStore struct {
	*memStore
	log *syncLog
}

func (s syncStore) AddBan(ctx context.Context, jail string, t Ticket) error {
	s.log.add("add " + t.String())
	return s.memStore.AddBan(ctx, jail, t)
}

func (s syncStore) Sync(context.Context) error { s.log.add("sync"); return nil }

// logActions logs bans into the shared log; with bulk it is BulkActions.
type logActions struct {
	recorder
	log *syncLog
}

func (a *logActions) Ban(ctx context.Context, t Ticket) error {
	a.log.add("ban " + t.String())
	return a.recorder.Ban(ctx, t)
}

type bulkActions struct {
	logActions
	calls []int
}

func (a *bulkActions) BanMany(_ context.Context, ts []Ticket) error {
	a.calls = append(a.calls, len(ts))
	for _, t := range ts {
		if !t.Restored {
			return fmt.Errorf("BanMany got a non-restored ticket %s", t)
		}
	}
	return nil
}

// TestBanIP_DurableBeforeActions checks that every ban's action runs only
// after a Sync that follows its store record, and that a batch of bans
// shares one Sync.
func TestBanIP_DurableBeforeActions(t *testing.T) {
	tests := []struct {
		name      string
		in        []string
		wantSyncs int
	}{
		{name: "one", in: []string{"192.0.2.1"}, wantSyncs: 1},
		{name: "batch", in: []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}, wantSyncs: 1},
		{name: "duplicate", in: []string{"192.0.2.1", "192.0.2.1"}, wantSyncs: 1},
		{name: "over one batch", in: ipRange(maxBanBatch + 5), wantSyncs: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &syncLog{}
			st := syncStore{memStore: newMemStore(), log: l}
			j := newTestJail(t, Options{Actions: &logActions{log: l}, Store: st})
			j.BanIP(t.Context(), tt.in...)
			durable := map[string]bool{}
			var queued []string
			syncs := 0
			for _, ev := range l.get() {
				verb, id, _ := strings.Cut(ev, " ")
				switch verb {
				case "add":
					queued = append(queued, id)
				case "sync":
					syncs++
					for _, q := range queued {
						durable[q] = true
					}
					queued = nil
				case "ban":
					if !durable[id] {
						t.Errorf("action for %s ran before its record was synced", id)
					}
				}
			}
			if syncs != tt.wantSyncs {
				t.Errorf("syncs = %d, want %d", syncs, tt.wantSyncs)
			}
		})
	}
}

func ipRange(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String()
	}
	return out
}

// TestRun_RestoreBulk restores more bans than one batch and checks they go
// to BanMany in batches, are all in the ban list, and are not written back.
func TestRun_RestoreBulk(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := time.Now()
		db := newMemStore()
		const n = restoreBatch + 7
		for _, id := range ipRange(n) {
			_ = db.AddBan(t.Context(), "test", Ticket{IP: ip(id), Time: now.Add(-time.Minute), BanTime: time.Hour, BanCount: 1})
		}
		adds := db.adds
		acts := &bulkActions{logActions: logActions{log: &syncLog{}}}
		j := newTestJail(t, Options{Actions: acts, Store: db})
		stop := startJail(t, j)
		if got := len(j.BannedIDs()); got != n {
			t.Errorf("restored %d bans, want %d", got, n)
		}
		if !slices.Equal(acts.calls, []int{restoreBatch, 7}) {
			t.Errorf("BanMany batches = %v, want [%d 7]", acts.calls, restoreBatch)
		}
		if len(acts.log.get()) != 0 {
			t.Errorf("restored bans also went through Ban: %d", len(acts.log.get()))
		}
		if db.adds != adds {
			t.Error("restored bans written to the database again")
		}
		stop()
	})
}
