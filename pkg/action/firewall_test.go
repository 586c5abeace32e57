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
