package jail

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestBanIP(t *testing.T) {
	clk := newClock()
	rec := &recorder{}
	db := newMemStore()
	j := newTestJail(t, Options{Now: clk.Now, Actions: rec, Store: db})
	ctx := t.Context()
	if n := j.BanIP(ctx, "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1"); n != 2 {
		t.Fatalf("BanIP = %d, want 2 (mapped address is the same id)", n)
	}
	tk := db.rows["test"]["192.0.2.1"]
	if tk.BanCount != 1 || tk.BanTime != DefaultBanTime || tk.Failures != 0 || tk.Matches == nil {
		t.Errorf("stored ticket = %+v", tk)
	}
	clk.Advance(5 * time.Minute)
	if n := j.BanIP(ctx, "192.0.2.1"); n != 0 {
		t.Fatalf("BanIP of banned = %d, want 0", n)
	}
	got := j.TicketsByEnd()
	if got[0].String() != "2001:db8::1" || got[1].String() != "192.0.2.1" {
		t.Errorf("by end = %v, want the extended ban last", got)
	}
	if got[1].BanTime != 15*time.Minute || !got[1].End().Equal(clk.Now().Add(DefaultBanTime)) {
		t.Errorf("extended ban = %v ending %v", got[1].BanTime, got[1].End())
	}
	if ids := j.BannedIDs(); !slices.Equal(ids, []string{"192.0.2.1", "2001:db8::1"}) {
		t.Errorf("ban order = %q", ids)
	}
	if b := j.Banned("192.0.2.1", "192.0.2.2", "[2001:db8::1]"); !slices.Equal(b, []bool{true, false, true}) {
		t.Errorf("Banned = %v", b)
	}
}

func TestUnbanIP(t *testing.T) {
	tests := []struct {
		name         string
		in           []string
		reportAbsent bool
		want         int
		wantErr      string
		wantLeft     []string
	}{
		{name: "one", in: []string{"192.0.2.1"}, want: 1, wantLeft: []string{"192.0.2.2", "198.51.100.1", "abc"}},
		{name: "absent ignored", in: []string{"203.0.113.1"}, want: 0, wantLeft: []string{"192.0.2.1", "192.0.2.2", "198.51.100.1", "abc"}},
		{name: "absent reported", in: []string{"203.0.113.1", "192.0.2.1", "x'y"}, reportAbsent: true, want: 1,
			wantErr: `not banned: ['203.0.113.1', "x'y"]`, wantLeft: []string{"192.0.2.2", "198.51.100.1", "abc"}},
		{name: "subnet", in: []string{"192.0.2.0/24"}, want: 2, wantLeft: []string{"198.51.100.1", "abc"}},
		{name: "raw id", in: []string{"abc"}, want: 1, wantLeft: []string{"192.0.2.1", "192.0.2.2", "198.51.100.1"}},
		{name: "dns name", in: []string{"host.example"}, want: 1, wantLeft: []string{"192.0.2.1", "192.0.2.2", "abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			db := newMemStore()
			j := newTestJail(t, Options{Actions: rec, Store: db, Resolver: fakeResolver{"host.example": {"198.51.100.1"}}})
			j.BanIP(t.Context(), "192.0.2.1", "192.0.2.2", "198.51.100.1", "abc")
			n, err := j.UnbanIP(t.Context(), tt.reportAbsent, tt.in...)
			if n != tt.want {
				t.Errorf("UnbanIP = %d, want %d", n, tt.want)
			}
			if tt.wantErr != "" {
				var nb *NotBannedError
				if !errors.As(err, &nb) || err.Error() != tt.wantErr {
					t.Errorf("err = %v, want %s", err, tt.wantErr)
				}
			} else if err != nil {
				t.Errorf("err = %v", err)
			}
			if left := j.BannedIDs(); !slices.Equal(left, tt.wantLeft) {
				t.Errorf("left = %q, want %q", left, tt.wantLeft)
			}
			if len(db.rows["test"]) != len(tt.wantLeft) {
				t.Errorf("db rows = %d, want %d", len(db.rows["test"]), len(tt.wantLeft))
			}
		})
	}
}

func TestUnbanAll(t *testing.T) {
	rec := &recorder{}
	db := newMemStore()
	j := newTestJail(t, Options{Actions: rec, Store: db})
	j.BanIP(t.Context(), "192.0.2.1", "192.0.2.2")
	if n := j.UnbanAll(t.Context()); n != 2 {
		t.Fatalf("UnbanAll = %d", n)
	}
	if got := rec.get(); got[len(got)-1] != "flush [192.0.2.1 192.0.2.2]" {
		t.Errorf("events = %q", got)
	}
	if len(db.rows["test"]) != 0 || !slices.Contains(db.dels, "test:*") {
		t.Errorf("database rows left: %v", db.rows)
	}
	st := j.Status()
	if st.CurrentlyBanned != 0 || st.TotalBanned != 2 {
		t.Errorf("status = %+v", st)
	}
}

func TestBan_ExpiredRejected(t *testing.T) {
	clk := newClock()
	rec := &recorder{}
	j := newTestJail(t, Options{Now: clk.Now, Actions: rec})
	j.SetBanTime(time.Minute)
	j.AddFailure(t.Context(), fail("192.0.2.1", clk.Now().Add(-2*time.Hour)))
	j.SetMaxRetry(1)
	j.AddFailure(t.Context(), fail("192.0.2.1", clk.Now().Add(-2*time.Hour)))
	if n := j.processQueue(t.Context()); n != 0 || j.Status().CurrentlyBanned != 0 {
		t.Errorf("old failure banned (%d)", n)
	}
}

func TestTicket_WithTime(t *testing.T) {
	start := time.Date(2026, 11, 25, 12, 0, 0, 500, time.UTC)
	tests := []struct {
		name string
		in   Ticket
		want string
	}{
		{name: "timed", in: Ticket{IP: ip("192.0.2.1"), Time: start, BanTime: 10 * time.Minute},
			want: "192.0.2.1 \t2026-11-25 12:00:00 + 600 = 2026-11-25 12:10:00"},
		{name: "permanent", in: Ticket{ID: "user@x", Time: start, BanTime: Permanent},
			want: "user@x \t2026-11-25 12:00:00 + -1 = 9999-12-31 23:59:59"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.WithTime(time.UTC); got != tt.want {
				t.Errorf("WithTime = %q, want %q", got, tt.want)
			}
		})
	}
}

// checkRecorder is a recorder that also implements Checker.
type checkRecorder struct{ recorder }

func (c *checkRecorder) Check(_ context.Context, t Ticket) error {
	c.add("check " + t.String())
	return nil
}

func TestBan_AlreadyBannedCheck(t *testing.T) {
	clk := newClock()
	rec := &checkRecorder{}
	j := newTestJail(t, Options{Now: clk.Now, Actions: rec})
	ctx := t.Context()
	j.BanIP(ctx, "192.0.2.1")
	j.BanIP(ctx, "192.0.2.1") // within 3 s: no check
	clk.Advance(4 * time.Second)
	j.BanIP(ctx, "192.0.2.1") // check
	clk.Advance(time.Second)
	j.BanIP(ctx, "192.0.2.1") // within 3 s of the last check: none
	clk.Advance(3 * time.Second)
	j.BanIP(ctx, "192.0.2.1") // check
	want := []string{"ban 192.0.2.1", "check 192.0.2.1", "check 192.0.2.1"}
	if got := rec.get(); !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}
