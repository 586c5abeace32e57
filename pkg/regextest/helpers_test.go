package regextest

import (
	"os"
	"testing"
)

// stockDir is fail2ban's configuration, the oracle's and the corpus'.
const stockDir = "/etc/fail2ban"

// needFail2ban skips (or, under CI=true, fails) when fail2ban is missing.
func needFail2ban(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat("/usr/bin/fail2ban-regex"); err == nil {
		if _, err := os.Stat(stockDir + "/filter.d/sshd.conf"); err == nil {
			return
		}
	}
	if os.Getenv("CI") == "true" {
		tb.Fatal("fail2ban 1.0.2 (/usr/bin/fail2ban-regex, /etc/fail2ban) is required under CI")
	}
	tb.Skip("fail2ban 1.0.2 is not installed (/usr/bin/fail2ban-regex, /etc/fail2ban)")
}

// stockConfig returns the stock fail2ban configuration directory.
func stockConfig(tb testing.TB) string {
	tb.Helper()
	needFail2ban(tb)
	return stockDir
}
