package jail

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"
)

// streamStore serves CurrentBans through BanStreamer in chunks of `chunk`
// tickets, reusing one slice so that a jail keeping it would see rows
// change under it.
type streamStore struct {
	*memStore
	chunk   int
	calls   int
	failErr error
}

func (s *streamStore) EachCurrentBan(ctx context.Context, jail string, since time.Time, fn func([]Ticket) error) error {
	s.calls++
	rows, err := s.memStore.CurrentBans(ctx, jail, since)
	if err != nil {
		return err
	}
	buf := make([]Ticket, 0, s.chunk)
	for len(rows) > 0 {
		n := min(s.chunk, len(rows))
		buf = append(buf[:0], rows[:n]...)
		rows = rows[n:]
		if err := fn(buf); err != nil {
			return err
		}
		clear(buf)
	}
	return s.failErr
}

// bulkRecorder counts the tickets that reach BanMany.
type bulkRecorder struct {
	*recorder
	batches []int
}

func (b *bulkRecorder) BanMany(_ context.Context, ts []Ticket) error {
	b.batches = append(b.batches, len(ts))
	return nil
}

// TestRestore_Stream restores through BanStreamer: every row reaches the
// ban list and BanMany in batches of at most restoreBatch, and a store
// error after some chunks keeps the bans already restored.
func TestRestore_Stream(t *testing.T) {
	tests := []struct {
		name    string
		rows    int
		chunk   int
		failErr error
		want    int
	}{
		{name: "small chunks", rows: 50, chunk: 7, want: 50},
		{name: "more than one batch", rows: 2*restoreBatch + 3, chunk: 4096, want: 2*restoreBatch + 3},
		{name: "store error after the rows", rows: 20, chunk: 3, failErr: errors.New("disk gone"), want: 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				now := time.Now()
				db := &streamStore{memStore: newMemStore(), chunk: tt.chunk, failErr: tt.failErr}
				for i := range tt.rows {
					// 198.18.0.0/15 holds 131,072 addresses: two batches.
					a := netip.AddrFrom4([4]byte{198, byte(18 + i>>16), byte(i >> 8), byte(i)})
					_ = db.AddBan(t.Context(), "test", Ticket{IP: a, Time: now.Add(-time.Minute), BanTime: time.Hour, BanCount: 1})
				}
				acts := &bulkRecorder{recorder: &recorder{}}
				j := newTestJail(t, Options{Actions: acts, Store: db})
				j.SetBanTime(time.Hour)
				stop := startJail(t, j)
				defer stop()
				if db.calls != 1 {
					t.Fatalf("EachCurrentBan called %d times, want 1", db.calls)
				}
				got := j.Tickets()
				seen := map[netip.Addr]bool{}
				for _, tk := range got {
					if !tk.IP.IsValid() || !tk.Restored || seen[tk.IP] {
						t.Fatalf("restored ticket %+v (duplicate or clobbered)", tk)
					}
					seen[tk.IP] = true
				}
				total := 0
				for _, n := range acts.batches {
					if n > restoreBatch {
						t.Errorf("BanMany batch of %d, want at most %d", n, restoreBatch)
					}
					total += n
				}
				if len(got) != tt.want || total != tt.want {
					t.Errorf("restored %d bans, BanMany got %d; want %d", len(got), total, tt.want)
				}
			})
		})
	}
}
