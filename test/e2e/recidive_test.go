package e2e

import (
	"strings"
	"testing"
	"time"
)

// recidiveJails: sshd bans after two failures; the test lifts each ban with
// unbanip so that the same IP can be banned again at once. recidive reads f2b-server's own log and records its
// bans with the e2e-record action (no root needed).
const recidiveJails = `[DEFAULT]
banaction = e2e-record
banaction_allports = e2e-record
usedns = no

[sshd]
enabled = true
backend = auto
logpath = @DIR@/auth.log
maxretry = 2
findtime = 1m
bantime = 1h

[recidive]
enabled = true
backend = auto
logpath = @DIR@/f2b.log
maxretry = 3
findtime = 10m
bantime = 1h
`

func TestRecidive_BansRepeatOffender(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2, recidiveJails)
	e.start()
	const ip = "198.51.100.77"
	for round := 1; round <= 3; round++ {
		e.appendLines("auth.log", sshdFailure(ip, 2*round), sshdFailure(ip, 2*round+1))
		e.eventually(10*time.Second, "sshd ban", func() bool {
			return e.countLines("record", "ban sshd "+ip) == round
		})
		if out, err := e.client("set", "sshd", "unbanip", ip); err != nil {
			t.Fatalf("unbanip: %v: %s", err, out)
		}
		if got := e.countLines("record", "unban sshd "+ip); got != round {
			t.Fatalf("after unbanip round %d: %d unban records, want %d", round, got, round)
		}
	}
	e.eventually(10*time.Second, "recidive ban", func() bool {
		return e.countLines("record", "ban recidive "+ip) == 1
	})
	out, err := e.client("status", "recidive")
	if err != nil || !strings.Contains(out, ip) || !strings.Contains(out, "Total failed:\t3") {
		t.Errorf("status recidive = %q, %v; want %s banned after 3 failures", out, err, ip)
	}
	log := e.readFile("f2b.log")
	if want := "fail2ban.actions        ["; !strings.Contains(log, want) || !strings.Contains(log, "NOTICE  [sshd] Ban "+ip) {
		t.Errorf("log lacks fail2ban-format Ban lines:\n%s", log)
	}
}
