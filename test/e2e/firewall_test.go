package e2e

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/internal/netns"
)

// firewallJail protects port 2222 with a stock banaction; bans last 3 s.
const firewallJail = `[DEFAULT]
usedns = no

[sshd]
enabled = true
backend = auto
port = 2222
logpath = @DIR@/auth.log
maxretry = 2
findtime = 1m
bantime = 3
banaction = @BANACTION@
`

func TestFirewall_NftablesIPv4(t *testing.T) {
	t.Parallel()
	testFirewall(t, firewallCase{
		tool:      "nft",
		banaction: "nftables[type=multiport]",
		srvAddr:   netip.MustParsePrefix("198.51.100.1/24"),
		cliAddr:   netip.MustParsePrefix("198.51.100.2/24"),
		rules:     []string{"nft", "list", "ruleset"},
		table:     "f2b-table",
	})
}

func TestFirewall_NftablesIPv6(t *testing.T) {
	t.Parallel()
	testFirewall(t, firewallCase{
		tool:      "nft",
		banaction: "nftables[type=multiport]",
		srvAddr:   netip.MustParsePrefix("fd42:f2b:e2e::1/64"),
		cliAddr:   netip.MustParsePrefix("fd42:f2b:e2e::2/64"),
		rules:     []string{"nft", "list", "ruleset"},
		table:     "addr6-set-sshd",
	})
}

func TestFirewall_IptablesMultiport(t *testing.T) {
	t.Parallel()
	testFirewall(t, firewallCase{
		tool:      "iptables",
		banaction: "iptables-multiport",
		srvAddr:   netip.MustParsePrefix("203.0.113.1/24"),
		cliAddr:   netip.MustParsePrefix("203.0.113.2/24"),
		rules:     []string{"iptables-save"},
		table:     "f2b-sshd",
	})
}

// firewallCase is one banaction and address family.
type firewallCase struct {
	tool             string // required in PATH
	banaction        string // the jail's banaction
	srvAddr, cliAddr netip.Prefix
	rules            []string // lists the firewall rules inside the namespace
	table            string   // appears in rules while the action is started
}

// testFirewall runs f2b-server inside a server namespace that serves TCP
// port 2222 and checks a client namespace's connections before, during
// and after a ban made by the stock action.
func testFirewall(t *testing.T, fc firewallCase) {
	requireStock(t)
	netns.Require(t, fc.tool)
	srv, cli := netns.New(t), netns.New(t)
	srv.Veth(t, cli, fc.srvAddr, fc.cliAddr)
	serveTCP(t, srv)
	target := net.JoinHostPort(fc.srvAddr.Addr().String(), "2222")
	client := fc.cliAddr.Addr().String()

	e := newEnv(t, 1, strings.ReplaceAll(firewallJail, "@BANACTION@", fc.banaction))
	e.prefix = srv.Prefix()
	e.start()
	rules := func() string { out, _ := srv.Run(t.Context(), fc.rules...); return out }

	if !connects(t, cli, target) {
		t.Fatalf("%s cannot reach %s before any ban", client, target)
	}
	e.appendLines("auth.log", sshdFailure(client, 1), sshdFailure(client, 2))
	e.eventually(10*time.Second, "the ban rule for "+client, func() bool {
		return strings.Contains(rules(), client)
	})
	if connects(t, cli, target) {
		t.Errorf("%s still reaches %s while banned; rules:\n%s", client, target, rules())
	}
	if out, _ := e.client("status", "sshd"); !strings.Contains(out, "Banned IP list:\t"+client) {
		t.Errorf("status sshd does not list %s:\n%s", client, out)
	}
	e.eventually(10*time.Second, "the unban after bantime", func() bool {
		return !strings.Contains(rules(), client)
	})
	if !connects(t, cli, target) {
		t.Errorf("%s cannot reach %s after the unban; rules:\n%s", client, target, rules())
	}
	if !strings.Contains(rules(), fc.table) {
		t.Errorf("rules lack %q while the jail runs:\n%s", fc.table, rules())
	}
	e.stop()
	if r := rules(); strings.Contains(r, fc.table) {
		t.Errorf("actionstop left %q behind:\n%s", fc.table, r)
	}
}

// serveTCP accepts and closes connections on port 2222 inside ns until
// the test ends.
func serveTCP(t *testing.T, ns *netns.NS) {
	t.Helper()
	var ln net.Listener
	if err := ns.Do(func() (err error) {
		ln, err = net.Listen("tcp", ":2222")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
}

// connects reports whether a TCP connect from inside ns to addr succeeds.
func connects(t *testing.T, ns *netns.NS, addr string) bool {
	t.Helper()
	var ok bool
	if err := ns.Do(func() error { ok = dialOK(addr); return nil }); err != nil {
		t.Fatal(err)
	}
	return ok
}
