package persist

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/jail"
	"github.com/f2b/f2b/pkg/store"
	"github.com/f2b/f2b/test/persist/fillstore"
)

// benchStore is the part of the server's store adapter the ban path uses
// (pkg/server's adapter is unexported): AddBan queues, Sync flushes.
type benchStore struct{ st *store.Store }

func (s benchStore) AddBan(_ context.Context, j string, t jail.Ticket) error {
	return s.st.AddBan(store.Ban{Jail: j, IP: t.String(), Time: t.Time, BanTime: int64(t.BanTime / time.Second),
		BanCount: t.BanCount, Data: store.Data{Failures: t.Failures}})
}
func (s benchStore) Sync(ctx context.Context) error { return s.st.Flush(ctx) }
func (s benchStore) DelBans(ctx context.Context, j string, ids ...string) error {
	return s.st.DelBan(ctx, j, ids...)
}
func (benchStore) LastBan(context.Context, string, string, bool) (jail.BanRecord, bool, error) {
	return jail.BanRecord{}, false, nil
}
func (benchStore) CurrentBans(context.Context, string, time.Time) ([]jail.Ticket, error) {
	return nil, nil
}

// BenchmarkJail_DurableBan measures bans per second through the jail's
// durable path (record, one commit per batch, then actions) with a real
// database file and no-op actions: "set <jail> banip" with 1000 ids a call.
func BenchmarkJail_DurableBan(b *testing.B) {
	st, err := store.Open(b.Context(), store.DefaultOptions(filepath.Join(b.TempDir(), "f2b.sqlite3")))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.AddJail(b.Context(), "bench"); err != nil {
		b.Fatal(err)
	}
	j, err := jail.New(jail.Options{Name: "bench", Store: benchStore{st}})
	if err != nil {
		b.Fatal(err)
	}
	j.SetBanTime(24 * time.Hour)
	ids := make([]string, 0, 1000)
	b.ResetTimer()
	for i := 0; i < b.N; {
		ids = ids[:0]
		for ; i < b.N && len(ids) < cap(ids); i++ {
			ids = append(ids, fillstore.IP(i))
		}
		j.BanIP(b.Context(), ids...)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bans/s")
}
