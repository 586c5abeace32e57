package jail

import (
	"math"
	"testing"
	"time"
)

var banCalcTests = []struct {
	name    string
	in      BanTimeExtra
	count   int
	want    float64 // seconds, base bantime 600
	wantErr bool
}{
	{name: "default count 1", count: 1, want: 1200},
	{name: "default count 3", count: 3, want: 4800},
	{name: "default capped exponent", count: 25, want: 600 * (1 << 20)},
	{name: "factor 2", in: BanTimeExtra{Factor: "2"}, count: 1, want: 2400},
	{name: "factor expression", in: BanTimeExtra{Factor: "3/2"}, count: 1, want: 1800},
	{name: "exp formula", in: BanTimeExtra{Formula: "ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)"}, count: 1, want: 600 * math.E},
	{name: "formula never below base", in: BanTimeExtra{Formula: "ban.Time / 2"}, count: 1, want: 600},
	{name: "multipliers", in: BanTimeExtra{Multipliers: []int{1, 5, 30}}, count: 1, want: 3000},
	{name: "multipliers last repeats", in: BanTimeExtra{Multipliers: []int{1, 5, 30}}, count: 9, want: 18000},
	{name: "multipliers with factor", in: BanTimeExtra{Multipliers: []int{1, 5, 30}, Factor: "2"}, count: 2, want: 36000},
	{name: "multipliers have no floor", in: BanTimeExtra{Multipliers: []int{0, 0}}, count: 1, want: 0},
	{name: "maxtime caps", in: BanTimeExtra{MaxTime: time.Hour}, count: 5, want: 3600},
	{name: "rndtime adds after cap", in: BanTimeExtra{MaxTime: time.Hour, RndTime: time.Minute}, count: 5, want: 3630},
	{name: "bad formula", in: BanTimeExtra{Formula: "__import__('os')"}, wantErr: true},
	{name: "bad factor", in: BanTimeExtra{Factor: "x"}, wantErr: true},
}

func TestBanCalc(t *testing.T) {
	for _, tt := range banCalcTests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := compileBanTimeExtra(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.banTime(10*time.Minute, tt.count, func() float64 { return 0.5 })
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.Seconds()-tt.want) > 1e-6 {
				t.Errorf("banTime = %v s, want %v s", got.Seconds(), tt.want)
			}
		})
	}
}

func TestBadRetries(t *testing.T) {
	tests := []struct {
		name     string
		in       int
		maxRetry int
		want     int
	}{
		{name: "one ban", in: 1, maxRetry: 5, want: 2},
		{name: "two bans", in: 2, maxRetry: 5, want: 3},
		{name: "three bans", in: 3, maxRetry: 10, want: 5},
		{name: "capped", in: 30, maxRetry: 5, want: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := badRetries(tt.in, tt.maxRetry); got != tt.want {
				t.Errorf("badRetries(%d, %d) = %d, want %d", tt.in, tt.maxRetry, got, tt.want)
			}
		})
	}
}

// TestIncrement_SecondBan follows the observed fail2ban run: bantime 5 s,
// the second ban of the same IP lasts 10 s with bancount 2.
func TestIncrement_SecondBan(t *testing.T) {
	clk := newClock()
	db := newMemStore()
	rec := &recorder{}
	j := newTestJail(t, Options{Now: clk.Now, Store: db, Actions: rec})
	j.SetBanTime(5 * time.Second)
	if err := j.SetBanTimeExtra(BanTimeExtra{Increment: true}); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	j.Attempt(ctx, "192.0.2.1", "a", "b", "c")
	j.processQueue(ctx)
	if row := db.rows["test"]["192.0.2.1"]; row.BanCount != 1 || row.BanTime != 5*time.Second {
		t.Fatalf("first ban row = %+v", row)
	}
	clk.Advance(6 * time.Second)
	j.unbanExpired(ctx)
	// One failure now counts 2 retries (bad IP), so two more ban.
	j.Attempt(ctx, "192.0.2.1")
	if r := j.Retries("192.0.2.1"); r != 2 {
		t.Errorf("retries after one failure of a known offender = %d, want 2", r)
	}
	j.Attempt(ctx, "192.0.2.1")
	j.processQueue(ctx)
	tk := j.Tickets()
	if len(tk) != 1 || tk[0].BanTime != 10*time.Second || tk[0].BanCount != 2 {
		t.Fatalf("second ban = %+v", tk)
	}
	if row := db.rows["test"]["192.0.2.1"]; row.BanCount != 2 || row.BanTime != 10*time.Second {
		t.Errorf("second ban row = %+v", row)
	}
	if rec.tickets[1].BanTime != 10*time.Second {
		t.Errorf("actions saw bantime %v, want the increased one", rec.tickets[1].BanTime)
	}
	clk.Advance(9 * time.Second)
	if n := j.unbanExpired(ctx); n != 0 {
		t.Error("increased ban ended at the base bantime")
	}
}

func TestSecondsString(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{name: "year weeks days", in: 86400 * 390, want: "1y 3w 4d"},
		{name: "year days", in: 86400 * 368, want: "1y 3d"},
		{name: "year rounds half to even", in: 86400 * 365.5, want: "1y 1d"}, // as fail2ban 1.0.2 prints it
		{name: "days hours minutes", in: 86400*2 + 3600*7 + 60*15, want: "2d 7h 15m"},
		{name: "days hours", in: 86400*2 + 3599, want: "2d 1h"},
		{name: "hour rounded", in: 3600 - 5, want: "1h"},
		{name: "minutes seconds", in: 3600 - 10, want: "59m 50s"},
		{name: "seconds", in: 59, want: "59s"},
		{name: "weeks", in: 86400 * 8, want: "1w 1d"},
		{name: "zero", in: 0, want: "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := secondsString(time.Duration(tt.in * float64(time.Second))); got != tt.want {
				t.Errorf("secondsString(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIncrement_NotRecorded(t *testing.T) {
	tests := []struct {
		name      string
		lastBan   time.Duration // before now
		banAgo    time.Duration // failure time before now
		bantime   time.Duration
		want      time.Duration
		wantWrite bool
	}{
		{name: "fresh failure increases and records", lastBan: time.Hour, banAgo: 0, bantime: time.Minute, want: 2 * time.Minute, wantWrite: true},
		{name: "failure before last ban not recorded", lastBan: time.Minute, banAgo: 2 * time.Minute, bantime: time.Hour, want: 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			db := newMemStore()
			_ = db.AddBan(t.Context(), "test", Ticket{IP: ip("192.0.2.1"), Time: clk.Now().Add(-tt.lastBan), BanTime: tt.bantime, BanCount: 1})
			adds := db.adds
			j := newTestJail(t, Options{Now: clk.Now, Store: db})
			j.SetBanTime(tt.bantime)
			_ = j.SetBanTimeExtra(BanTimeExtra{Increment: true})
			j.enqueue(Ticket{IP: ip("192.0.2.1"), Time: clk.Now().Add(-tt.banAgo)})
			j.processQueue(t.Context())
			got := j.Tickets()
			if len(got) != 1 || got[0].BanTime != tt.want || got[0].BanCount != 2 {
				t.Fatalf("ban = %+v, want bantime %v bancount 2", got, tt.want)
			}
			if wrote := db.adds > adds; wrote != tt.wantWrite {
				t.Errorf("recorded = %v, want %v", wrote, tt.wantWrite)
			}
		})
	}
}
