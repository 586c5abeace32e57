package jail

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/tags"
)

var failManagerTests = []struct {
	name        string
	maxRetry    int
	in          []int // failure times, seconds after start; the clock follows them
	wantBanAt   int   // index of the failure that queues a ban, -1 for none
	wantRetries int   // retries pending after the last failure
	wantCurrent int
}{
	{name: "maxretry within findtime", maxRetry: 3, in: []int{0, 10, 20}, wantBanAt: 2},
	{name: "below maxretry", maxRetry: 3, in: []int{0, 10}, wantBanAt: -1, wantRetries: 2, wantCurrent: 1},
	{name: "expired after findtime since last", maxRetry: 3, in: []int{0, 10, 700}, wantBanAt: -1, wantRetries: 1, wantCurrent: 1},
	// 0,500 → retry 2; 1000: round(2/1000*600)=1, +1 → 2; 1050: round(2/650*600)=2, +1 → 3.
	{name: "rate rescaled to findtime", maxRetry: 3, in: []int{0, 500, 1000, 1050}, wantBanAt: 3},
	{name: "rate rescaled pending", maxRetry: 3, in: []int{0, 500, 1000}, wantBanAt: -1, wantRetries: 2, wantCurrent: 1},
	// retry 6 at first=0; 800: 6/800*600 = 4.5 rounds half to even → 4, +1 → 5.
	{name: "python rounding", maxRetry: 10, in: []int{0, 0, 0, 0, 0, 500, 800}, wantBanAt: -1, wantRetries: 5, wantCurrent: 1},
	{name: "old time does not move window", maxRetry: 4, in: []int{100, 50, 60}, wantBanAt: -1, wantRetries: 3, wantCurrent: 1},
	{name: "ban then fresh ticket", maxRetry: 2, in: []int{0, 10, 20}, wantBanAt: 1, wantRetries: 1, wantCurrent: 1},
	{name: "long slow series", maxRetry: 5, in: []int{0, 200, 400, 600, 800, 1000, 1200, 1400}, wantBanAt: -1, wantRetries: 4, wantCurrent: 1},
}

func TestFailManager(t *testing.T) {
	for _, tt := range failManagerTests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			start := clk.Now()
			j := newTestJail(t, Options{Now: clk.Now})
			j.SetMaxRetry(tt.maxRetry)
			banAt := -1
			for i, s := range tt.in {
				at := start.Add(time.Duration(s) * time.Second)
				if at.After(clk.Now()) {
					clk.Advance(at.Sub(clk.Now()))
				}
				j.AddFailure(t.Context(), fail("192.0.2.1", at))
				if j.Queued() > 0 && banAt < 0 {
					banAt = i
				}
			}
			if banAt != tt.wantBanAt {
				t.Errorf("ban queued at failure %d, want %d", banAt, tt.wantBanAt)
			}
			if got := j.Retries("192.0.2.1"); got != tt.wantRetries {
				t.Errorf("Retries = %d, want %d", got, tt.wantRetries)
			}
			st := j.Status()
			if st.CurrentlyFailed != tt.wantCurrent || st.TotalFailed != len(tt.in) {
				t.Errorf("failed = %d/%d, want %d/%d", st.CurrentlyFailed, st.TotalFailed, tt.wantCurrent, len(tt.in))
			}
		})
	}
}

func TestFailManager_TicketFields(t *testing.T) {
	clk := newClock()
	j := newTestJail(t, Options{Now: clk.Now})
	j.SetMaxMatches(2)
	base := clk.Now()
	for i, m := range []string{"a", "b", "c"} {
		f := Failure{IP: ip("::ffff:192.0.2.7"), Time: base.Add(time.Duration(i) * time.Second),
			Matches: []string{m}, Tags: tags.List{{Name: "user", Value: m}}}
		j.AddFailure(t.Context(), f)
	}
	q := j.dequeue()
	if len(q) != 1 {
		t.Fatalf("queued %d tickets, want 1", len(q))
	}
	tk := q[0]
	if tk.String() != "192.0.2.7" || !tk.Time.Equal(base.Add(2*time.Second)) || tk.Failures != 3 {
		t.Errorf("ticket = %s at %v failures %d", tk, tk.Time, tk.Failures)
	}
	if !slices.Equal(tk.Matches, []string{"b", "c"}) || !slices.Equal(tk.Tags, tags.List{{Name: "user", Value: "c"}}) {
		t.Errorf("matches %q tags %v, want last 2 and last tag", tk.Matches, tk.Tags)
	}
}

func TestAttempt(t *testing.T) {
	tests := []struct {
		name       string
		id         string
		msgs       []string
		skipIgnore bool
		want       int
		wantQueued int
		wantRetry  int
	}{
		{name: "one without messages", id: "192.0.2.1", want: 1, wantRetry: 1},
		{name: "two messages count two", id: "192.0.2.1", msgs: []string{"m1", "m2"}, want: 1, wantRetry: 2},
		{name: "maxretry messages ban at once", id: "[2001:db8::1]", msgs: []string{"a", "b", "c"}, want: 1, wantQueued: 1},
		{name: "raw id", id: "user@example", want: 1, wantRetry: 1},
		{name: "ignored in 1.1", id: "10.0.0.1", want: 0},
		{name: "not ignored in 1.0.2", id: "10.0.0.1", skipIgnore: true, want: 1, wantRetry: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			j := newTestJail(t, Options{Now: clk.Now, AttemptSkipsIgnore: tt.skipIgnore})
			if err := j.IgnoreIP().Add("10.0.0.0/8"); err != nil {
				t.Fatal(err)
			}
			if got := j.Attempt(t.Context(), tt.id, tt.msgs...); got != tt.want {
				t.Fatalf("Attempt = %d, want %d", got, tt.want)
			}
			if got := j.Retries(tt.id); got != tt.wantRetry {
				t.Errorf("Retries = %d, want %d", got, tt.wantRetry)
			}
			q := j.dequeue()
			if len(q) != tt.wantQueued {
				t.Fatalf("queued %d, want %d", len(q), tt.wantQueued)
			}
			if len(q) == 1 && (!q[0].Time.Equal(clk.Now()) || q[0].Failures != 1 || !slices.Equal(q[0].Matches, tt.msgs)) {
				t.Errorf("ticket time %v failures %d matches %q", q[0].Time, q[0].Failures, q[0].Matches)
			}
		})
	}
}

// TestAddFailure_Concurrent checks that no failure is lost when many
// goroutines report at once (run with -race).
func TestAddFailure_Concurrent(t *testing.T) {
	const workers, per = 100, 1000
	j := newTestJail(t, Options{})
	j.SetMaxRetry(1 << 30)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			id := "198.51.100." + string(rune('0'+w%10))
			for range per {
				j.Attempt(t.Context(), id)
			}
		})
	}
	wg.Wait()
	st := j.Status()
	if st.TotalFailed != workers*per || st.CurrentlyFailed != 10 {
		t.Fatalf("failed = %d/%d, want 10/%d", st.CurrentlyFailed, st.TotalFailed, workers*per)
	}
	sum := 0
	for d := range 10 {
		sum += j.Retries("198.51.100." + string(rune('0'+d)))
	}
	if sum != workers*per {
		t.Errorf("retries sum = %d, want %d", sum, workers*per)
	}
}
