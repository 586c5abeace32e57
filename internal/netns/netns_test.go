package netns

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{name: "test-net-2", in: "198.51.100.1/24"},
		{name: "test-net-3", in: "203.0.113.5/32"},
		{name: "ula", in: "fd42:f2b::1/64"},
		{name: "doc v6", in: "2001:db8::1/64"},
		{name: "private", in: "10.0.0.1/8", wantErr: true},
		{name: "too wide", in: "198.51.0.0/16", wantErr: true},
		{name: "global v6", in: "2a00::1/64", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAddr(netip.MustParsePrefix(tt.in))
			if (err != nil) != tt.wantErr {
				t.Errorf("CheckAddr(%s) = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestVeth(t *testing.T) {
	Require(t, "ping")
	a, b := New(t), New(t)
	a.Veth(t, b, netip.MustParsePrefix("198.51.100.1/24"), netip.MustParsePrefix("198.51.100.2/24"))
	out := a.MustRun(t, "ping", "-c", "1", "-W", "2", "198.51.100.2")
	if !strings.Contains(out, "1 received") {
		t.Errorf("ping through veth: %s", out)
	}
	if out := b.MustRun(t, "ip", "-o", "addr", "show"); !strings.Contains(out, "198.51.100.2/24") {
		t.Errorf("peer address missing: %s", out)
	}
}
