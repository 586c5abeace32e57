package action

import (
	"net/netip"
	"testing"
	"time"
)

func benchAction(b *testing.B) *Action {
	a, _ := newTestAction(b, props(
		"actionban", "<iptables> -I f2b-<name> 1 -s <ip> -j <blocktype>",
		"name", "sshd", "blocktype", "REJECT --reject-with <rt>", "rt", "icmp-port-unreachable",
		"iptables", "iptables <lockingopt>", "lockingopt", "-w",
		"iptables?family=inet6", "ip6tables <lockingopt>",
	)...)
	return a
}

// BenchmarkRender_Ban measures rendering one ban command with warm caches
// (the per-ban cost the jail pays besides the fork).
func BenchmarkRender_Ban(b *testing.B) {
	a := benchAction(b)
	tk := &Ticket{IP: netip.MustParseAddr("192.0.2.1"), Time: time.Unix(1795610000, 0),
		Matches: []string{"Failed password for root from 192.0.2.1; port 22"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Render("actionban", "", tk); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender_Cold measures rendering after a property change (phase A
// re-resolution).
func BenchmarkRender_Cold(b *testing.B) {
	a := benchAction(b)
	tk := &Ticket{IP: netip.MustParseAddr("2001:db8::1")}
	b.ReportAllocs()
	for b.Loop() {
		_ = a.Set("name", "sshd")
		if _, err := a.Render("actionban", "", tk); err != nil {
			b.Fatal(err)
		}
	}
}
