package netns

import (
	"io"
	"net"
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

// TestDo_TCP listens in one namespace and connects from another across a
// veth pair, using sockets created from Go through Do.
func TestDo_TCP(t *testing.T) {
	Require(t)
	a, b := New(t), New(t)
	a.Veth(t, b, netip.MustParsePrefix("fd42:f2b::1/64"), netip.MustParsePrefix("fd42:f2b::2/64"))
	var ln net.Listener
	if err := b.Do(func() (err error) {
		ln, err = net.Listen("tcp", "[fd42:f2b::2]:0")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			_, _ = c.Write([]byte("hello"))
			c.Close()
		}
	}()
	var conn net.Conn
	if err := a.Do(func() (err error) {
		conn, err = net.Dial("tcp", ln.Addr().String())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got, err := io.ReadAll(conn)
	if err != nil || string(got) != "hello" {
		t.Errorf("read %q, %v; want hello", got, err)
	}
}
