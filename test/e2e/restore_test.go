package e2e

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/internal/netns"
)

// TestFirewall_RestoreAfterRestart: a ban survives a restart through the
// database (the stop removes the nftables rules, the start restores them),
// and unbanip lifts it from the firewall at once.
func TestFirewall_RestoreAfterRestart(t *testing.T) {
	t.Parallel()
	requireStock(t)
	netns.Require(t, "nft")
	srv, cli := netns.New(t), netns.New(t)
	srvAddr, cliAddr := netip.MustParsePrefix("198.51.100.33/24"), netip.MustParsePrefix("198.51.100.34/24")
	srv.Veth(t, cli, srvAddr, cliAddr)
	serveTCP(t, srv)
	target := net.JoinHostPort(srvAddr.Addr().String(), "2222")
	client := cliAddr.Addr().String()
	jail := strings.NewReplacer("bantime = 3", "bantime = 1h", "@BANACTION@", "nftables[type=multiport]").Replace(firewallJail)
	e := newEnv(t, 1, jail)
	e.prefix = srv.Prefix()
	rules := func() string { out, _ := srv.Run(t.Context(), "nft", "list", "ruleset"); return out }
	blocked := func() bool { return strings.Contains(rules(), client) && !connects(t, cli, target) }

	e.start()
	e.appendLines("auth.log", sshdFailure(client, 1), sshdFailure(client, 2))
	e.eventually(10*time.Second, "the ban of "+client, blocked)
	e.stop()
	if !connects(t, cli, target) {
		t.Fatalf("%s still blocked after the server stopped; rules:\n%s", client, rules())
	}
	e.start()
	e.eventually(10*time.Second, "the restored ban of "+client, blocked)
	// the log is written through a buffer flushed within 50 ms, and the
	// rule may be in place before that
	e.eventually(5*time.Second, "the Restore Ban line in the log", func() bool {
		return strings.Contains(e.readFile("f2b.log"), "NOTICE  [sshd] Restore Ban "+client)
	})
	if out, err := e.client("set", "sshd", "unbanip", client); err != nil || strings.TrimSpace(out) != "1" {
		t.Fatalf("unbanip = %q, %v; want 1", out, err)
	}
	if strings.Contains(rules(), client) || !connects(t, cli, target) {
		t.Errorf("%s still blocked after unbanip; rules:\n%s", client, rules())
	}
}
