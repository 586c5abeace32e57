package action_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/action"
	"github.com/f2b/f2b/pkg/config"
	"github.com/f2b/f2b/pkg/pyval"
)

const stockDir = "/etc/fail2ban"

// stockActions lists Debian's shell actions (action.d/*.conf), read at
// test time from the installed fail2ban package.
func stockActions(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(stockDir, "action.d", "*.conf"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no %s/action.d/*.conf: the fail2ban package is required under CI", stockDir)
		}
		t.Skipf("no %s/action.d/*.conf: install the fail2ban package", stockDir)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".conf"))
	}
	return names
}

// jailVars are the options a stock jail.conf jail passes to its actions.
func jailVars() map[string]string {
	return map[string]string{
		"__name__": "sshd", "port": "ssh", "protocol": "tcp", "chain": "<known/chain>",
		"bantime": "600", "logpath": "/var/log/auth.log", "destemail": "root@localhost",
		"sender": "root@<fq-hostname>", "mta": "sendmail", "banaction": "iptables-multiport",
	}
}

func loadStock(t *testing.T, name string) ([]action.Prop, [][2]string) {
	t.Helper()
	def, err := config.LoadAction(stockDir, name, jailVars())
	if err != nil {
		t.Fatalf("LoadAction(%s): %v", name, err)
	}
	var props []action.Prop
	var raw [][2]string
	for _, p := range def.Props {
		v := pyval.Str(p.Value)
		props = append(props, action.Prop{Name: p.Key, Value: v})
		raw = append(raw, [2]string{p.Key, v})
	}
	return props, raw
}

var (
	stockV4 = &action.Ticket{
		IP: netip.MustParseAddr("198.51.100.23"), Failures: 5, Time: time.Unix(1795610394, 0),
		BanTime: 10 * time.Minute, BanCount: 1,
		Matches: []string{"Nov 25 10:00:00 host sshd[1]: Invalid user a'b;$(x) from 198.51.100.23"},
		Data:    map[string]string{"user": "a'b;$(x)"},
	}
	stockV6 = &action.Ticket{
		IP: netip.MustParseAddr("fd42:f2b::23"), Failures: 3, Time: time.Unix(1795610394, 0),
		BanTime: -1, BanCount: 2, Matches: []string{"m1", "m2"},
	}
)

// TestStockActions loads every Debian action.d file through pkg/config and
// renders its start/ban/unban/stop commands for IPv4 and IPv6.
func TestStockActions(t *testing.T) {
	for _, name := range stockActions(t) {
		t.Run(name, func(t *testing.T) {
			props, _ := loadStock(t, name)
			rec := &action.Recorder{}
			a, err := action.New(action.Options{Jail: "sshd", Name: name, Props: props, Runner: rec})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			for _, fam := range []string{"", "inet4", "inet6"} {
				for _, op := range []string{"actionstart", "actionstop", "actioncheck", "actionflush"} {
					if _, err := a.Render(op, fam, nil); err != nil {
						t.Errorf("render %s %q: %v", op, fam, err)
					}
				}
			}
			ctx := t.Context()
			for _, tk := range []*action.Ticket{stockV4, stockV6} {
				mustDo(t, "start", a.Start(ctx))
				mustDo(t, "ban "+tk.IP.String(), a.Ban(ctx, tk))
				mustDo(t, "unban "+tk.IP.String(), a.Unban(ctx, tk))
				mustDo(t, "stop", a.Stop(ctx))
			}
			for _, c := range rec.Commands() {
				if strings.Contains(c.Script, "$(x)") {
					t.Errorf("log value pasted into script %q", c.Script)
				}
			}
		})
	}
}

// TestStockActions_Oracle renders the stock actions here and with
// fail2ban's own CommandAction and compares the commands.
func TestStockActions_Oracle(t *testing.T) {
	needFail2ban(t)
	names := stockActions(t)
	var cases []oracleCase
	v4 := &oracleTicket{IP: "198.51.100.23", Failures: 5, Time: 1795610394.25, BanTime: 600, BanCount: 1,
		Matches: []string{"Invalid user a'b;$(x) from 198.51.100.23"}, Data: map[string]string{"user": "a'b;$(x)"}}
	v6 := &oracleTicket{IP: "fd42:f2b::23", Failures: 3, Time: 1795610394.5, BanTime: -1, BanCount: 2,
		Matches: []string{"m1", "m2"}, Data: map[string]string{}}
	for _, name := range names {
		_, raw := loadStock(t, name)
		for _, fam := range []string{"", "inet4", "inet6"} {
			for _, op := range []string{"actionstart", "actionstop", "actioncheck", "actionflush"} {
				cases = append(cases, opCase(raw, op, fam))
			}
		}
		for _, tk := range []*oracleTicket{v4, v6} {
			for _, op := range []string{"actionban", "actionunban"} {
				cases = append(cases, oracleCase{Props: raw, Op: op, Ticket: tk})
			}
		}
	}
	compareOracle(t, cases)
}
