package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

func benchBan(i int) Ban {
	return Ban{Jail: "sshd", IP: crashIP(i), Time: time.Unix(testNow-int64(i%3600), 0), BanTime: 86400, BanCount: 1,
		Data: Data{Matches: []Match{
			{"", "2026-11-25 12:36:30", " sshd[1234]: Failed password for root from " + crashIP(i) + " port 22 ssh2"},
		}, Failures: 5, Fields: []Field{{Key: "ip4", Value: crashIP(i)}}}}
}

func benchStore(b *testing.B) *Store {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.db")
	if keep := os.Getenv("F2B_BENCH_DB"); keep != "" {
		path = keep
	}
	opts := DefaultOptions(path)
	opts.Now = func() time.Time { return time.Unix(testNow, 0) }
	st, err := Open(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.AddJail(context.Background(), "sshd"); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkStore_AddBan queues b.N bans and waits for them to be durable:
// the sustained ban rate of the group-committing writer.
func BenchmarkStore_AddBan(b *testing.B) {
	st := benchStore(b)
	defer st.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := st.AddBan(benchBan(i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bans/s")
}

// BenchmarkStore_AddBanSync is one synchronous ban at a time (no batching).
func BenchmarkStore_AddBanSync(b *testing.B) {
	st := benchStore(b)
	defer st.Close()
	ctx := context.Background()
	for i := range b.N {
		if err := st.AddBanSync(ctx, benchBan(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStore_Restore1M fills a database with 1,000,000 active bans
// (timed separately, reported as insert-s) and measures reading them all
// back for a jail restart. Run with -benchtime=1x.
// F2B_BENCH_BANS overrides the count for a quicker run; F2B_BENCH_DB keeps
// the database at that path and reuses it when it already holds the bans.
func BenchmarkStore_Restore1M(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("F2B_BENCH_BANS")); err == nil && v > 0 {
		n = v
	}
	st := benchStore(b)
	start := time.Now()
	have, _ := st.CurrentBans(context.Background(), CurrentQuery{Jail: "sshd", IP: crashIP(n - 1)})
	for i := range n {
		if len(have) > 0 {
			break
		}
		if err := st.AddBan(benchBan(i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	insert := time.Since(start)
	fi, _ := os.Stat(st.Path())
	cpu0 := cpuTime()
	b.ResetTimer()
	var got int
	for range b.N {
		st2, err := Open(context.Background(), st.opts)
		if err != nil {
			b.Fatal(err)
		}
		bans, err := st2.CurrentBans(context.Background(), CurrentQuery{Jail: "sshd", ForBanTime: 86400, MaxBanTime: 86400})
		if err != nil {
			b.Fatal(err)
		}
		got = len(bans)
		st2.Close()
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	if got != n {
		b.Fatalf("restored %d bans, want %d", got, n)
	}
	b.ReportMetric(insert.Seconds(), "insert-s")
	b.ReportMetric(float64(fi.Size())/1e6, "db-MB")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "restore-s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "restore-cpu-s")
}

// cpuTime is the CPU time (user+system) of this process: on the shared
// machine wall time mostly measures the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
