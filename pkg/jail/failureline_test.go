package jail

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestFailureLine(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 3, 7, 999, time.UTC)
	tests := []struct {
		name string
		jail string
		verb string
		ip   string // parsed with netip; "" for none
		id   string
		want string
	}{
		{name: "attempt ipv4", jail: "sshd", verb: "Attempt", ip: "192.0.2.7", want: "[sshd] Attempt 192.0.2.7 - 2026-11-25 09:03:07"},
		{name: "found ipv6", jail: "nginx-http-auth", verb: "Found", ip: "2001:db8::1", want: "[nginx-http-auth] Found 2001:db8::1 - 2026-11-25 09:03:07"},
		{name: "ipv4-mapped", jail: "sshd", verb: "Found", ip: "::ffff:192.0.2.8", want: "[sshd] Found 192.0.2.8 - 2026-11-25 09:03:07"},
		{name: "ipv6 with zone", jail: "sshd", verb: "Found", ip: "fe80::1%eth0", want: "[sshd] Found fe80::1 - 2026-11-25 09:03:07"},
		{name: "raw id", jail: "php", verb: "Attempt", id: "user@example.org", want: "[php] Attempt user@example.org - 2026-11-25 09:03:07"},
		{name: "subnet id", jail: "php", verb: "Attempt", id: "192.0.2.0/24", want: "[php] Attempt 192.0.2.0/24 - 2026-11-25 09:03:07"},
		{name: "empty id", jail: "j", verb: "Found", want: "[j] Found  - 2026-11-25 09:03:07"},
		{name: "longer than the stack buffer", jail: strings.Repeat("j", 100), verb: "Found", id: strings.Repeat("x", 100),
			want: "[" + strings.Repeat("j", 100) + "] Found " + strings.Repeat("x", 100) + " - 2026-11-25 09:03:07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ip netip.Addr
			if tt.ip != "" {
				ip = netip.MustParseAddr(tt.ip)
			}
			got := failureLine(tt.jail, tt.verb, ip, tt.id, at)
			if got != tt.want {
				t.Errorf("failureLine = %q, want %q", got, tt.want)
			}
			// Same text as the format string it replaced.
			if old := fmt.Sprintf("[%s] %s %s - %s", tt.jail, tt.verb, idString(ip, tt.id), at.Format(timeLayout)); got != old {
				t.Errorf("failureLine = %q, Sprintf gives %q", got, old)
			}
		})
	}
}

func TestFailureLine_OneAllocation(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 3, 7, 0, time.UTC)
	ip := netip.MustParseAddr("2001:db8::1")
	if n := testing.AllocsPerRun(100, func() { _ = failureLine("sshd", "Attempt", ip, "", at) }); n != 1 {
		t.Errorf("failureLine allocates %v times, want 1 (the string)", n)
	}
}

func BenchmarkFailureLine(b *testing.B) {
	at := time.Date(2026, 11, 25, 9, 3, 7, 0, time.UTC)
	ip := netip.MustParseAddr("192.0.2.7")
	b.ReportAllocs()
	for b.Loop() {
		_ = failureLine("sshd", "Attempt", ip, "", at)
	}
}
