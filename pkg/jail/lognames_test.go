package jail

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// msgLog records the messages one logger received, without the jail
// name prefix, so each message group's logger can be checked.
type msgLog struct {
	mu   sync.Mutex
	msgs []string
}

func (m *msgLog) Enabled(context.Context, slog.Level) bool { return true }
func (m *msgLog) WithAttrs([]slog.Attr) slog.Handler       { return m }
func (m *msgLog) WithGroup(string) slog.Handler            { return m }
func (m *msgLog) Handle(_ context.Context, r slog.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	msg, _, _ := strings.Cut(strings.TrimPrefix(r.Message, "[test] "), " ")
	m.msgs = append(m.msgs, msg)
	return nil
}

func (m *msgLog) get() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.msgs)
}

// TestLogNames checks that each message goes to the logger fail2ban names
// for it: Found and Ignore to the filter's, Ban and Unban to the actions'.
func TestLogNames(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		acts, filt, obs := &msgLog{}, &msgLog{}, &msgLog{}
		j := newTestJail(t, Options{
			Logger:         slog.New(acts),
			FilterLogger:   slog.New(filt),
			ObserverLogger: slog.New(obs),
		})
		if err := j.IgnoreIP().Add("198.51.100.7"); err != nil {
			t.Fatal(err)
		}
		j.SetMaxRetry(1)
		j.SetBanTime(time.Minute)
		stop := startJail(t, j)
		ctx := t.Context()
		j.AddFailure(ctx, fail("198.51.100.7", time.Now()))
		j.AddFailure(ctx, fail("192.0.2.1", time.Now()))
		synctest.Wait()
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		stop()
		tests := []struct {
			name string
			in   *msgLog
			want []string
		}{
			{name: "filter", in: filt, want: []string{"Ignore", "Found"}},
			{name: "actions", in: acts, want: []string{"Ban", "Unban"}},
			{name: "observer", in: obs, want: nil},
		}
		for _, tt := range tests {
			if got := tt.in.get(); !slices.Equal(got, tt.want) {
				t.Errorf("%s logger got %q, want %q", tt.name, got, tt.want)
			}
		}
	})
}

func TestLogNames_DefaultToLogger(t *testing.T) {
	l := &msgLog{}
	j := newTestJail(t, Options{Logger: slog.New(l)})
	j.AddFailure(t.Context(), fail("192.0.2.1", time.Now()))
	if got, want := l.get(), []string{"Found"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
