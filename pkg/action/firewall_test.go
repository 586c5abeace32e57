package action_test

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/f2b/f2b/internal/netns"
	"github.com/f2b/f2b/pkg/action"
)

// stockProps returns the property list fail2ban's client sends for a stock
// action.d file, produced by the installed fail2ban (test oracle only).
func stockProps(t *testing.T, name string, opts ...string) []action.Prop {
	t.Helper()
	if err := exec.Command(debianPython, "-c", "import fail2ban").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("fail2ban python package required under CI: %v", err)
		}
		t.Skipf("fail2ban python package not available: %v", err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(debianPython, append([]string{"testdata/action_props.py", name, "sshd"}, opts...)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("action_props.py %s: %v: %s", name, err, stderr.Bytes())
	}
	var kv [][2]string
	if err := json.Unmarshal(out, &kv); err != nil {
		t.Fatalf("action_props.py %s output: %v", name, err)
	}
	props := make([]action.Prop, len(kv))
	for i, p := range kv {
		props[i] = action.Prop{Name: p[0], Value: p[1]}
	}
	return props
}

type firewallCase struct {
	name string
	// list prints the rules that must show the banned addresses.
	list [][]string
	// gone must not appear in any listing after stop.
	gone string
}

func TestFirewall(t *testing.T) {
	netns.Require(t, "nft", "iptables", "ip6tables", "ipset")
	ipt := [][]string{{"iptables", "-S"}, {"ip6tables", "-S"}}
	tests := []firewallCase{
		{name: "nftables-multiport", list: [][]string{{"nft", "list", "ruleset"}}, gone: "f2b-table"},
		{name: "nftables-allports", list: [][]string{{"nft", "list", "ruleset"}}, gone: "f2b-table"},
		{name: "iptables-multiport", list: ipt, gone: "f2b-sshd"},
		{name: "iptables-allports", list: ipt, gone: "f2b-sshd"},
		{name: "iptables-ipset", list: [][]string{{"ipset", "list"}}, gone: "f2b-sshd"},
	}
	v4 := &action.Ticket{IP: netip.MustParseAddr("203.0.113.7"), Matches: []string{"x; $(touch /PWNED)"}}
	v6 := &action.Ticket{IP: netip.MustParseAddr("fd42:f2b::7")}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := stockProps(t, tt.name, "port=22", "protocol=tcp", "chain=INPUT", "name=sshd")
			ns := netns.New(t)
			a, err := action.New(action.Options{
				Jail: "sshd", Name: tt.name, Props: props,
				Runner: action.NewShellRunner(action.ShellOptions{Prefix: ns.Prefix()}),
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			mustDo(t, "start", a.Start(ctx))
			mustDo(t, "ban v4", a.Ban(ctx, v4))
			mustDo(t, "ban v6", a.Ban(ctx, v6))
			rules := listing(t, ns, tt.list)
			for _, ip := range []string{"203.0.113.7", "fd42:f2b::7"} {
				if !strings.Contains(rules, ip) {
					t.Errorf("after ban, %s missing from rules:\n%s", ip, rules)
				}
			}
			mustDo(t, "check", a.Check(ctx))
			mustDo(t, "unban v4", a.Unban(ctx, v4))
			mustDo(t, "unban v6", a.Unban(ctx, v6))
			rules = listing(t, ns, tt.list)
			for _, ip := range []string{"203.0.113.7", "fd42:f2b::7"} {
				if strings.Contains(rules, ip) {
					t.Errorf("after unban, %s still in rules:\n%s", ip, rules)
				}
			}
			if !strings.Contains(rules, tt.gone) {
				t.Errorf("before stop, %q should exist:\n%s", tt.gone, rules)
			}
			mustDo(t, "stop", a.Stop(ctx))
			if rules = listing(t, ns, tt.list); strings.Contains(rules, tt.gone) {
				t.Errorf("after stop, %q still there:\n%s", tt.gone, rules)
			}
		})
	}
}

func mustDo(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func listing(t *testing.T, ns *netns.NS, cmds [][]string) string {
	t.Helper()
	var b strings.Builder
	for _, c := range cmds {
		b.WriteString(ns.MustRun(t, c...))
	}
	return b.String()
}

// docTickets returns n4 IPv4 tickets from 198.51.100.0/24 and
// 203.0.113.0/24 (n4 ≤ 508) and n6 tickets from fd42:f2b::/64.
func docTickets(n4, n6 int) []*action.Ticket {
	var out []*action.Ticket
	for i := range n4 {
		net := [2]byte{51, 100}
		if i >= 254 {
			net = [2]byte{0, 113}
		}
		first := byte(198)
		if i >= 254 {
			first = 203
		}
		out = append(out, &action.Ticket{IP: netip.AddrFrom4([4]byte{first, net[0], net[1], byte(i%254 + 1)})})
	}
	for i := range n6 {
		out = append(out, &action.Ticket{IP: netip.AddrFrom16([16]byte{0xfd, 0x42, 0x0f, 0x2b, 14: byte((i + 1) >> 8), 15: byte(i + 1)})})
	}
	return out
}

// TestFirewall_BanMany bans hundreds of addresses with one batch per
// family and checks every one of them reached the kernel.
func TestFirewall_BanMany(t *testing.T) {
	netns.Require(t, "nft", "iptables", "ipset")
	tests := []struct {
		name string
		list [][]string
	}{
		{name: "nftables-multiport", list: [][]string{{"nft", "list", "ruleset"}}},
		{name: "iptables-ipset", list: [][]string{{"ipset", "list"}}},
	}
	tickets := docTickets(500, 1500)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := netns.New(t)
			a, err := action.New(action.Options{
				Jail: "sshd", Name: tt.name, Props: stockProps(t, tt.name, "port=22", "name=sshd"),
				Runner: action.NewShellRunner(action.ShellOptions{Prefix: ns.Prefix()}),
			})
			if err != nil {
				t.Fatal(err)
			}
			mustDo(t, "ban many", a.BanMany(t.Context(), tickets))
			rules := listing(t, ns, tt.list)
			missing := 0
			for _, tk := range tickets {
				if !strings.Contains(rules, tk.IP.String()) {
					missing++
				}
			}
			if missing > 0 {
				t.Errorf("%d of %d banned addresses missing", missing, len(tickets))
			}
			mustDo(t, "unban", a.Unban(t.Context(), tickets[0]))
			if rules := listing(t, ns, tt.list); strings.Contains(rules, tickets[0].IP.String()+"\n") ||
				strings.Contains(rules, tickets[0].IP.String()+",") {
				t.Errorf("%s still banned after unban", tickets[0].IP)
			}
			mustDo(t, "stop", a.Stop(t.Context()))
		})
	}
}
