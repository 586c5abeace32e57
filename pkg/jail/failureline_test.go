package jail

import (
	"fmt"
	"testing"
	"time"
)

func TestFailureLine(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 3, 7, 999, time.UTC)
	tests := []struct {
		name string
		in   [3]string // jail, verb, id
		want string
	}{
		{name: "attempt ipv4", in: [3]string{"sshd", "Attempt", "192.0.2.7"}, want: "[sshd] Attempt 192.0.2.7 - 2026-11-25 09:03:07"},
		{name: "found ipv6", in: [3]string{"nginx-http-auth", "Found", "2001:db8::1"}, want: "[nginx-http-auth] Found 2001:db8::1 - 2026-11-25 09:03:07"},
		{name: "empty id", in: [3]string{"j", "Found", ""}, want: "[j] Found  - 2026-11-25 09:03:07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := failureLine(tt.in[0], tt.in[1], tt.in[2], at)
			if got != tt.want {
				t.Errorf("failureLine = %q, want %q", got, tt.want)
			}
			// Same text as the format string it replaced.
			if old := fmt.Sprintf("[%s] %s %s - %s", tt.in[0], tt.in[1], tt.in[2], at.Format(timeLayout)); got != old {
				t.Errorf("failureLine = %q, Sprintf gives %q", got, old)
			}
		})
	}
}

func BenchmarkFailureLine(b *testing.B) {
	at := time.Date(2026, 11, 25, 9, 3, 7, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_ = failureLine("sshd", "Attempt", "192.0.2.7", at)
	}
}
