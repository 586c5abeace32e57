package persist

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/jail"
)

// rowsStore returns a fixed ban list for the restore.
type rowsStore struct {
	benchStore
	rows []jail.Ticket
}

func (s rowsStore) CurrentBans(context.Context, string, time.Time) ([]jail.Ticket, error) {
	return append([]jail.Ticket(nil), s.rows...), nil
}

// bulkNop counts the tickets handed to BanMany.
type bulkNop struct {
	jail.Actions
	n chan int
}

func (a bulkNop) Start(context.Context) error                      { return nil }
func (a bulkNop) Stop(context.Context) error                       { return nil }
func (a bulkNop) Flush(context.Context, []jail.Ticket) error       { return nil }
func (a bulkNop) BanMany(_ context.Context, t []jail.Ticket) error { a.n <- len(t); return nil }

// BenchmarkJail_Restore100k measures the jail's side of a restore: 100,000
// rows from the store into the ban list and to a bulk action.
func BenchmarkJail_Restore100k(b *testing.B) {
	const n = 100_000
	now := time.Now()
	rows := make([]jail.Ticket, n)
	for i := range rows {
		rows[i] = jail.Ticket{IP: netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}),
			Time: now.Add(-time.Minute), BanTime: 24 * time.Hour, BanCount: 1, Failures: 1,
			Matches: []string{"filler"}}
	}
	for range b.N {
		acts := bulkNop{n: make(chan int, n)}
		j, err := jail.New(jail.Options{Name: "bench", Store: rowsStore{rows: rows}, Actions: acts})
		if err != nil {
			b.Fatal(err)
		}
		j.SetBanTime(24 * time.Hour)
		if err := j.Start(b.Context()); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < n; {
			got += <-acts.n
		}
		b.StopTimer()
		j.Stop(b.Context())
		b.StartTimer()
	}
}
