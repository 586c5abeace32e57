package integration

import (
	"fmt"
	"strings"
	"testing"
)

// TestRestart_ResumesLogAndRestoresBans stops and starts the server
// mid-stream: log positions resume (no line counted twice, none skipped)
// and active bans come back with their actions re-run.
func TestRestart_ResumesLogAndRestoresBans(t *testing.T) {
	e := newEnv(t, "")
	e.write("jail.local", phpAPIJail(e.dir))
	e.jails = 1
	e.appendLines("php-api.log")
	e.start()
	for i := range 10 {
		e.appendLines("php-api.log", fmt.Sprintf("%s 192.0.2.20 - Incorrect token used. (%d)", isoNow(), i))
	}
	for i := range 5 {
		e.appendLines("php-api.log", fmt.Sprintf("%s 192.0.2.21 - Incorrect token used. (%d)", isoNow(), i))
	}
	eventually(t, "ban of 192.0.2.20 and 15 failures", func() bool {
		out, _ := e.client("status", "php-api")
		return strings.Contains(out, "Total failed:\t15") && strings.Contains(e.readFile("bans"), "ban 192.0.2.20\n")
	})
	e.stop()
	// Written while the server is down: must be read after the restart.
	for i := range 5 {
		e.appendLines("php-api.log", fmt.Sprintf("%s 192.0.2.22 - Incorrect token used. (%d)", isoNow(), i))
	}
	e.start()
	eventually(t, "the 5 lines written while down", func() bool {
		out, _ := e.client("status", "php-api")
		return strings.Contains(out, "Total failed:\t5")
	})
	// Restoring runs in the jail's own goroutine after start: wait for it.
	var out string
	eventually(t, "ban restored after restart", func() bool {
		out, _ = e.client("status", "php-api")
		return strings.Contains(out, "Banned IP list:\t192.0.2.20")
	})
	eventually(t, "actionban re-run once for the restored ban", func() bool {
		return strings.Count("\n"+e.readFile("bans"), "\nban 192.0.2.20\n") >= 2
	})
	if n := strings.Count("\n"+e.readFile("bans"), "\nban 192.0.2.20\n"); n != 2 {
		t.Errorf("restored ban should re-run actionban once more: %d ban lines\n%s", n, e.readFile("bans"))
	}
	// 192.0.2.21 had 5 failures before the restart; failures are not kept
	// across restarts (as in fail2ban) and its lines must not be re-read.
	if strings.Contains(out, "192.0.2.21") || strings.Contains(out, "Total failed:\t10") {
		t.Errorf("lines read twice after restart:\n%s", out)
	}
}
