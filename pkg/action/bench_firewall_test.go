package action_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/internal/netns"
	"github.com/f2b/f2b/pkg/action"
)

// TestBenchFirewall compares banning into a real nftables set: fail2ban's
// CommandAction, our Action ticket by ticket, and our BanMany batch. It
// only runs for scripts/bench/action.sh (F2B_BENCH_ACTION=1) and prints
// Markdown table rows prefixed with "BENCH".
func TestBenchFirewall(t *testing.T) {
	if os.Getenv("F2B_BENCH_ACTION") != "1" {
		t.Skip("benchmark: set F2B_BENCH_ACTION=1 (scripts/bench/action.sh)")
	}
	netns.Require(t, "nft")
	needFail2ban(t)
	const name = "nftables-multiport"
	props := stockProps(t, name, "port=22", "name=sshd")
	tickets := docTickets(250, 250)
	row := func(who string, d time.Duration, forks string) {
		fmt.Printf("BENCH| %s | %d | %.2f s | %.0f µs | %s |\n", who, len(tickets), d.Seconds(),
			float64(d.Microseconds())/float64(len(tickets)), forks)
	}

	row("fail2ban 1.0.2 CommandAction.ban", benchPython(t, name, tickets), "1 per ban")
	for _, bulk := range []bool{false, true} {
		ns := netns.New(t)
		rec := &countingRunner{r: action.NewShellRunner(action.ShellOptions{Prefix: ns.Prefix()})}
		a, err := action.New(action.Options{Jail: "sshd", Name: name, Props: props, Runner: rec})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if bulk {
			mustDo(t, "ban many", a.BanMany(t.Context(), tickets))
		} else {
			for _, tk := range tickets {
				mustDo(t, "ban", a.Ban(t.Context(), tk))
			}
		}
		who := "f2b Action.Ban"
		if bulk {
			who = "f2b Action.BanMany"
		}
		row(who, time.Since(start), strconv.Itoa(rec.n)+" in total")
		if out := ns.MustRun(t, "nft", "list", "ruleset"); !strings.Contains(out, tickets[len(tickets)-1].IP.String()) {
			t.Errorf("%s: last address not banned", who)
		}
	}
}

type countingRunner struct {
	r *action.ShellRunner
	n int
}

func (c *countingRunner) Run(ctx context.Context, cmd action.Command) (action.Result, error) {
	c.n++
	return c.r.Run(ctx, cmd)
}

// benchPython bans tickets with fail2ban's own CommandAction inside a
// fresh namespace and returns the time it reports.
func benchPython(t *testing.T, name string, tickets []*action.Ticket) time.Duration {
	t.Helper()
	ns := netns.New(t)
	dir := t.TempDir()
	pf := filepath.Join(dir, "props.json")
	var kv [][2]string
	for _, p := range stockProps(t, name, "port=22", "name=sshd") {
		kv = append(kv, [2]string{p.Name, p.Value})
	}
	b, _ := json.Marshal(kv)
	if err := os.WriteFile(pf, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var ips strings.Builder
	for _, tk := range tickets {
		ips.WriteString(tk.IP.String() + "\n")
	}
	cmd := ns.Command(t.Context(), debianPython, "testdata/bench_ban.py", pf)
	cmd.Stdin = strings.NewReader(ips.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bench_ban.py: %v", err)
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatalf("bench_ban.py output %q: %v", out, err)
	}
	return time.Duration(secs * float64(time.Second))
}
