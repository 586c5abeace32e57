package jail

import (
	"context"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// startJail runs j in the synctest bubble and returns a stop function
// that cancels it and checks Run's result.
func startJail(t *testing.T, j *Jail) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- j.Run(ctx) }()
	synctest.Wait()
	return func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}

func TestRun_BanAndUnbanTiming(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{}
		j := newTestJail(t, Options{Actions: rec})
		j.SetBanTime(10 * time.Minute)
		stop := startJail(t, j)
		ctx := t.Context()
		start := time.Now()
		j.AddFailure(ctx, fail("192.0.2.1", start.Add(-time.Minute)))
		j.AddFailure(ctx, fail("192.0.2.1", start.Add(-30*time.Second)))
		j.AddFailure(ctx, fail("192.0.2.1", start))
		synctest.Wait()
		if got := rec.get(); !slices.Equal(got, []string{"start", "ban 192.0.2.1"}) {
			t.Fatalf("events = %q", got)
		}
		if err := j.Run(ctx); err != ErrRunning {
			t.Errorf("second Run = %v, want ErrRunning", err)
		}
		time.Sleep(10 * time.Minute) // now == end of ban: still banned
		synctest.Wait()
		if st := j.Status(); st.CurrentlyBanned != 1 {
			t.Fatalf("unbanned at the end of ban, want strictly after")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		st := j.Status()
		if st.CurrentlyBanned != 0 || st.TotalBanned != 1 {
			t.Fatalf("status after bantime = %+v", st)
		}
		if got := rec.get(); !slices.Equal(got[2:], []string{"unban 192.0.2.1"}) {
			t.Fatalf("events = %q", got)
		}
		stop()
		if got := rec.get(); !slices.Equal(got[3:], []string{"stop"}) {
			t.Fatalf("events at stop = %q", got)
		}
	})
}

func TestRun_StopFlushesAndKeepsDB(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{}
		db := newMemStore()
		j := newTestJail(t, Options{Actions: rec, Store: db})
		stop := startJail(t, j)
		if n := j.BanIP(t.Context(), "192.0.2.1", "192.0.2.2"); n != 2 {
			t.Fatalf("BanIP = %d", n)
		}
		if err := j.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
		stop()
		want := []string{"start", "ban 192.0.2.1", "ban 192.0.2.2", "flush [192.0.2.1 192.0.2.2]", "stop"}
		if got := rec.get(); !slices.Equal(got, want) {
			t.Fatalf("events = %q, want %q", got, want)
		}
		if len(db.rows["test"]) != 2 {
			t.Errorf("stop touched the database: %v", db.rows)
		}
	})
}

func TestRun_PermanentAndIdle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{}
		j := newTestJail(t, Options{Actions: rec})
		j.SetBanTime(-1)
		j.SetIdle(true)
		stop := startJail(t, j)
		j.Attempt(t.Context(), "192.0.2.9", "a", "b", "c")
		synctest.Wait()
		if j.Status().CurrentlyBanned != 0 {
			t.Fatal("idle jail banned")
		}
		j.SetIdle(false)
		synctest.Wait()
		time.Sleep(24 * time.Hour)
		synctest.Wait()
		if got := j.Tickets(); len(got) != 1 || !got[0].Permanent() {
			t.Fatalf("permanent ban = %+v", got)
		}
		stop()
	})
}

func TestRun_Restore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := time.Now()
		db := newMemStore()
		row := func(id string, ago, bantime time.Duration, count int) {
			_ = db.AddBan(t.Context(), "test", Ticket{IP: ip(id), Time: now.Add(-ago), BanTime: bantime, BanCount: count})
		}
		row("192.0.2.1", 5*time.Minute, 10*time.Minute, 1)  // 5 minutes left
		row("192.0.2.2", 20*time.Minute, 10*time.Minute, 1) // over
		row("192.0.2.3", 6*time.Minute, Permanent, 2)       // capped to bantime
		row("10.0.0.1", time.Minute, 10*time.Minute, 1)     // now ignored
		adds := db.adds
		rec := &recorder{}
		j := newTestJail(t, Options{Actions: rec, Store: db})
		_ = j.IgnoreIP().Add("10.0.0.0/8")
		stop := startJail(t, j)
		got := j.Tickets()
		if len(got) != 2 || got[0].String() != "192.0.2.3" || got[1].String() != "192.0.2.1" {
			t.Fatalf("restored = %v", got)
		}
		for _, tk := range got {
			if !tk.Restored || tk.BanTime != 10*time.Minute {
				t.Errorf("restored ticket %s: restored=%v bantime=%v", tk, tk.Restored, tk.BanTime)
			}
		}
		if got[0].BanCount != 3 {
			t.Errorf("restored bancount = %d, want row+1 = 3", got[0].BanCount)
		}
		if db.adds != adds {
			t.Error("restored bans written to the database again")
		}
		time.Sleep(4*time.Minute + time.Second) // 192.0.2.3 ends 4 minutes from now
		synctest.Wait()
		if ids := j.BannedIDs(); !slices.Equal(ids, []string{"192.0.2.1"}) {
			t.Errorf("after 4m banned = %q", ids)
		}
		stop()
	})
}

func TestRestoredTicket(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	tests := []struct {
		name   string
		in     Ticket
		limit  time.Duration
		want   time.Duration
		wantOK bool
	}{
		{name: "legacy uses jail bantime", in: Ticket{Time: now, BanTime: legacyBanTime}, limit: Permanent, want: 10 * time.Minute, wantOK: true},
		{name: "permanent allowed", in: Ticket{Time: now.Add(-time.Hour), BanTime: -time.Second}, limit: Permanent, want: Permanent, wantOK: true},
		{name: "capped to maxtime", in: Ticket{Time: now, BanTime: 48 * time.Hour}, limit: time.Hour, want: time.Hour, wantOK: true},
		{name: "ended", in: Ticket{Time: now.Add(-2 * time.Hour), BanTime: time.Hour}, limit: Permanent, want: time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := restoredTicket(tt.in, 10*time.Minute, tt.limit, now)
			if ok != tt.wantOK || (ok && got.BanTime != tt.want) {
				t.Errorf("restoredTicket = %v, %v; want %v, %v", got.BanTime, ok, tt.want, tt.wantOK)
			}
		})
	}
}
