package client

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestNextInterval(t *testing.T) {
	tests := []struct {
		name    string
		prev    time.Duration
		elapsed time.Duration
		want    time.Duration
	}{
		{name: "doubles", prev: 6250 * time.Microsecond, elapsed: 0, want: 12500 * time.Microsecond},
		{name: "capped early", prev: 80 * time.Millisecond, elapsed: 150 * time.Millisecond, want: 100 * time.Millisecond},
		{name: "grows late", prev: 100 * time.Millisecond, elapsed: 250 * time.Millisecond, want: 200 * time.Millisecond},
		{name: "capped late", prev: 400 * time.Millisecond, elapsed: time.Second, want: 500 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextInterval(tc.prev, tc.elapsed); got != tc.want {
				t.Fatalf("nextInterval = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestWait_Backoff waits on a socket nobody serves, with a fake clock, and
// checks fail2ban-client's polling schedule until the deadline.
func TestWait_Backoff(t *testing.T) {
	now := time.Unix(0, 0)
	var slept []time.Duration
	errDeadline := errors.New("deadline")
	opts := WaitOptions{
		Client: Options{Socket: filepath.Join(t.TempDir(), "none.sock")},
		Alive:  true,
		Now:    func() time.Time { return now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			slept = append(slept, d)
			now = now.Add(d)
			if now.Sub(time.Unix(0, 0)) >= 2*time.Second {
				return errDeadline
			}
			return nil
		},
	}
	err := Wait(t.Context(), opts)
	if !errors.Is(err, errDeadline) {
		t.Fatalf("Wait = %v", err)
	}
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	want := []time.Duration{ms(12.5), ms(25), ms(50), ms(100), ms(100), ms(200), ms(400), ms(500), ms(500)}
	for i, w := range want {
		if i >= len(slept) || slept[i] != w {
			t.Fatalf("sleeps = %v, want prefix %v", slept, want)
		}
	}
}

func TestWait_Up(t *testing.T) {
	s := startFake(t)
	err := Wait(t.Context(), WaitOptions{
		Client: Options{Socket: s.sock},
		Alive:  true,
		Sleep:  func(context.Context, time.Duration) error { return errors.New("should not sleep") },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !Ping(t.Context(), Options{Socket: s.sock}, time.Second) {
		t.Fatal("Ping = false on a live server")
	}
}
