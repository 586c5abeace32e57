package action_test

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/f2b/f2b/internal/netns"
	"github.com/f2b/f2b/pkg/action"
)

// TestFirewall_TCP bans a client address with the stock allports actions
// inside a server namespace and checks that the client's TCP connections
// are refused while banned and accepted again after unban.
func TestFirewall_TCP(t *testing.T) {
	netns.Require(t, "nft", "iptables")
	for _, name := range []string{"nftables-allports", "iptables-allports"} {
		t.Run(name, func(t *testing.T) {
			srv, cli := netns.New(t), netns.New(t)
			srv.Veth(t, cli, netip.MustParsePrefix("198.51.100.1/24"), netip.MustParsePrefix("198.51.100.2/24"))
			var ln net.Listener
			if err := srv.Do(func() (err error) {
				ln, err = net.Listen("tcp4", "198.51.100.1:0")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go acceptAll(ln)
			a, err := action.New(action.Options{
				Jail: "sshd", Name: name, Props: stockProps(t, name, "name=sshd", "protocol=tcp"),
				Runner: action.NewShellRunner(action.ShellOptions{Prefix: srv.Prefix()}),
			})
			if err != nil {
				t.Fatal(err)
			}
			client := &action.Ticket{IP: netip.MustParseAddr("198.51.100.2")}
			addr := ln.Addr().String()
			if err := dialFrom(cli, addr); err != nil {
				t.Fatalf("before ban: %v", err)
			}
			mustDo(t, "ban", a.Ban(t.Context(), client))
			if err := dialFrom(cli, addr); err == nil {
				t.Error("connection accepted while banned")
			}
			mustDo(t, "unban", a.Unban(t.Context(), client))
			if err := dialFrom(cli, addr); err != nil {
				t.Errorf("after unban: %v", err)
			}
			mustDo(t, "stop", a.Stop(t.Context()))
		})
	}
}

func acceptAll(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}

// dialFrom connects to addr from inside ns.
func dialFrom(ns *netns.NS, addr string) error {
	return ns.Do(func() error {
		c, err := net.DialTimeout("tcp4", addr, 3*time.Second)
		if err != nil {
			return err
		}
		return c.Close()
	})
}
