package jail

import (
	"context"
	"net/netip"
	"runtime"
	"testing"
	"time"
)

// BenchmarkAddFailure is the hot path: one failure that does not ban.
func BenchmarkAddFailure(b *testing.B) {
	j, _ := New(Options{Name: "bench"})
	j.SetMaxRetry(1 << 62)
	_ = j.IgnoreIP().Add("10.0.0.0/8")
	_ = j.IgnoreIP().Add("127.0.0.1")
	f := Failure{IP: netip.MustParseAddr("192.0.2.1"), Time: time.Now(), Matches: []string{"x"}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		j.AddFailure(ctx, f)
	}
}

// BenchmarkAddFailure_Parallel measures contention from many sources.
func BenchmarkAddFailure_Parallel(b *testing.B) {
	j, _ := New(Options{Name: "bench"})
	j.SetMaxRetry(1 << 62)
	now := time.Now()
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		f := Failure{IP: netip.MustParseAddr("192.0.2.1"), Time: now}
		for pb.Next() {
			j.AddFailure(ctx, f)
		}
	})
}

func nthIP(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
}

// fillBans bans n addresses through the full ban path (no actions, no
// store) and returns the heap growth per ban.
func fillBans(tb testing.TB, n int) (*Jail, float64) {
	j, _ := New(Options{Name: "bench"})
	ctx := context.Background()
	now := time.Now()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		j.actMu.Lock()
		// Spread ends of ban so the heap does real work.
		j.banTicket(ctx, Ticket{IP: nthIP(i), Time: now, BanTime: time.Duration(1+i%977) * time.Minute})
		j.actMu.Unlock()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if got := j.Status().CurrentlyBanned; got != n {
		tb.Fatalf("banned %d, want %d", got, n)
	}
	return j, float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
}

// BenchmarkBans1M bans a million addresses, reports bytes per ban, then
// unbans them all through the schedule.
func BenchmarkBans1M(b *testing.B) { benchBans(b, 1_000_000) }

// BenchmarkBans100k is the size scripts/bench/jail.sh compares with
// fail2ban's BanManager.
func BenchmarkBans100k(b *testing.B) { benchBans(b, 100_000) }

func benchBans(b *testing.B, n int) {
	for b.Loop() {
		start := time.Now()
		j, perBan := fillBans(b, n)
		b.ReportMetric(perBan, "bytes/ban")
		b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(n), "ns/ban")
		start = time.Now()
		j.banMu.Lock()
		got := j.bm.popExpired(time.Now().Add(24*time.Hour), n)
		j.banMu.Unlock()
		b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(n), "ns/unban")
		if len(got) != n {
			b.Fatalf("unbanned %d", len(got))
		}
	}
}

// TestBanMemory bounds the memory of one active ban.
func TestBanMemory(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	_, perBan := fillBans(t, n)
	t.Logf("%.0f bytes per ban with %d bans", perBan, n)
	if perBan > 400 {
		t.Errorf("%.0f bytes per ban, want <= 400", perBan)
	}
}

// TestUnbanOrder checks the schedule pops bans by end of ban, ties in
// ban order, after arbitrary prolongs.
func TestUnbanOrder(t *testing.T) {
	bm := newBanManager()
	base := time.Unix(1_000_000, 0)
	ends := []int{50, 10, 30, 10, 40, 20}
	for i, e := range ends {
		bm.add(Ticket{IP: nthIP(i), Time: base, BanTime: time.Duration(e) * time.Second}, base)
	}
	// Prolong the first 10 s ban to 35 s from base.
	bm.add(Ticket{IP: nthIP(1), Time: base.Add(5 * time.Second), BanTime: 30 * time.Second}, base)
	got := bm.popExpired(base.Add(time.Hour), 100)
	want := []int{3, 5, 2, 1, 4, 0}
	for i, tk := range got {
		if tk.IP != nthIP(want[i]) {
			t.Fatalf("pop %d = %s, want %s", i, tk, nthIP(want[i]))
		}
	}
	if bm.head != nil || bm.tail != nil || len(bm.m) != 0 {
		t.Error("ban list not empty after popping everything")
	}
}

// TestBanHeap_Random checks the schedule against a sort after random
// adds, prolongs and removals.
func TestBanHeap_Random(t *testing.T) {
	bm := newBanManager()
	base := time.Unix(1_000_000, 0)
	r := uint64(42)
	rnd := func(n int) int { r = r*6364136223846793005 + 1442695040888963407; return int(r>>33) % n }
	for i := range 5000 {
		bm.add(Ticket{IP: nthIP(rnd(2000)), Time: base.Add(time.Duration(rnd(100)) * time.Second),
			BanTime: time.Duration(rnd(1000)) * time.Second}, base)
		if i%7 == 0 && len(bm.h) > 0 {
			bm.remove(bm.h[rnd(len(bm.h))].e)
		}
	}
	for i, s := range bm.h {
		if s.e.idx != i || s.eob != s.e.eob {
			t.Fatalf("slot %d out of sync", i)
		}
	}
	n := len(bm.m)
	got := bm.popExpired(base.Add(time.Hour), n)
	if len(got) != n {
		t.Fatalf("popped %d of %d", len(got), n)
	}
	for i := 1; i < len(got); i++ {
		if got[i].End().Before(got[i-1].End()) {
			t.Fatalf("pop order broken at %d", i)
		}
	}
}
