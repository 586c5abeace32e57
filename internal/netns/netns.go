// Package netns creates throw-away Linux network namespaces for tests that
// drive real firewalls (nft, iptables, ipset) or real TCP connections, so
// nothing touches the host's own rules. It is internal test support shared
// by pkg/action's firewall tests and the lead's end-to-end tests.
//
// Only documentation and ULA addresses may be configured through it
// (198.51.100.0/24, 203.0.113.0/24, 192.0.2.0/24, 2001:db8::/32 and
// fd00::/8), so a mistake can never claim a routable address.
package netns

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// NS is a network namespace that lives for the duration of a test.
type NS struct {
	// Name is the namespace name as `ip netns` knows it (f2bt-<random>).
	Name string
}

// Require skips t unless the test runs as root and every tool in tools is
// in PATH; with CI=true it fails instead, since CI must run these tests.
func Require(t testing.TB, tools ...string) {
	t.Helper()
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root privileges")
	}
	for _, tool := range append([]string{"ip"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("network namespace test needs %s", strings.Join(missing, ", "))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// New creates a namespace named f2bt-<random> with loopback up and
// registers its removal with t.Cleanup. Call Require first.
func New(t testing.TB) *NS {
	t.Helper()
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	ns := &NS{Name: "f2bt-" + hex.EncodeToString(b[:])}
	if out, err := exec.Command("ip", "netns", "add", ns.Name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", ns.Name, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns.Name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v: %s", ns.Name, err, out)
		}
	})
	ns.MustRun(t, "ip", "link", "set", "lo", "up")
	return ns
}

// Prefix is the argv that runs a program inside the namespace; put it in
// front of any command line (e.g. action.ShellOptions.Prefix).
func (n *NS) Prefix() []string {
	return []string{"ip", "netns", "exec", n.Name}
}

// Command returns an exec.Cmd running argv inside the namespace.
func (n *NS) Command(ctx context.Context, argv ...string) *exec.Cmd {
	full := append(n.Prefix(), argv...)
	return exec.CommandContext(ctx, full[0], full[1:]...)
}

// Run runs argv inside the namespace and returns its combined output.
func (n *NS) Run(ctx context.Context, argv ...string) (string, error) {
	var out bytes.Buffer
	cmd := n.Command(ctx, argv...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("netns %s: %q: %w: %s", n.Name, argv, err, out.Bytes())
	}
	return out.String(), nil
}

// MustRun is Run that fails t on error.
func (n *NS) MustRun(t testing.TB, argv ...string) string {
	t.Helper()
	out, err := n.Run(context.Background(), argv...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var allowed = []netip.Prefix{
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("fd00::/8"),
}

// CheckAddr returns an error unless p lies in a documentation or ULA range.
func CheckAddr(p netip.Prefix) error {
	for _, a := range allowed {
		if a.Contains(p.Addr()) && p.Bits() >= a.Bits() {
			return nil
		}
	}
	return fmt.Errorf("netns: address %q is not a documentation or ULA address", p)
}

// Veth connects n and peer with a veth pair, assigns addrN inside n and
// addrPeer inside peer (documentation/ULA only) and brings both ends up.
// The pair disappears with the namespaces.
func (n *NS) Veth(t testing.TB, peer *NS, addrN, addrPeer netip.Prefix) {
	t.Helper()
	for _, p := range []netip.Prefix{addrN, addrPeer} {
		if err := CheckAddr(p); err != nil {
			t.Fatal(err)
		}
	}
	a, b := "v"+n.Name[5:], "p"+peer.Name[5:]
	if out, err := exec.Command("ip", "link", "add", a, "netns", n.Name, "type", "veth", "peer", "name", b, "netns", peer.Name).CombinedOutput(); err != nil {
		t.Fatalf("ip link add veth: %v: %s", err, out)
	}
	n.addr(t, a, addrN)
	peer.addr(t, b, addrPeer)
}

func (n *NS) addr(t testing.TB, dev string, p netip.Prefix) {
	t.Helper()
	args := []string{"ip", "addr", "add", p.String(), "dev", dev}
	if p.Addr().Is6() {
		args = append(args, "nodad")
	}
	n.MustRun(t, args...)
	n.MustRun(t, "ip", "link", "set", dev, "up")
}
