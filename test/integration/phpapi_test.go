package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func phpAPIJail(dir string) string {
	return `[php-api]
enabled  = true
filter   = php-api
logpath  = ` + dir + `/php-api.log
maxretry = 10
findtime = 30m
bantime  = 1h
`
}

func TestPHPAPI_LogFileBan(t *testing.T) {
	e := newEnv(t, "")
	e.write("jail.local", phpAPIJail(e.dir))
	e.jails = 1
	e.appendLines("php-api.log")
	e.start()
	for i := range 9 {
		e.appendLines("php-api.log", fmt.Sprintf("%s 192.0.2.1 - Incorrect token used. (%d)", isoNow(), i))
	}
	eventually(t, "9 failures counted", func() bool {
		out, _ := e.client("status", "php-api")
		return strings.Contains(out, "Total failed:\t9")
	})
	if strings.Contains(e.readFile("bans"), "ban 192.0.2.1") {
		t.Fatalf("banned after 9 failures (maxretry 10)")
	}
	e.appendLines("php-api.log", isoNow()+" 192.0.2.1 - Incorrect token used. (10)")
	eventually(t, "ban after the 10th failure", func() bool {
		return strings.Contains(e.readFile("bans"), "ban 192.0.2.1\n")
	})
	out, err := e.client("status", "php-api")
	if err != nil || !strings.Contains(out, "Banned IP list:\t192.0.2.1") {
		t.Fatalf("status php-api: %v\n%s", err, out)
	}
}

// TestPHPAPI_AttemptFromPHP is the headline use case: a PHP app writes
// pickled `set php-api attempt <ip> <msg>` to the socket; the tenth bans.
func TestPHPAPI_AttemptFromPHP(t *testing.T) {
	need(t, "php")
	e := newEnv(t, "")
	e.write("jail.local", phpAPIJail(e.dir))
	e.jails = 1
	e.appendLines("php-api.log")
	e.start()
	script, _ := filepath.Abs("../../pkg/protocol/testdata/attempt.php")
	for i := range 10 {
		args := []string{script, e.sock, "php-api", "203.0.113.7", "Incorrect token used"}
		if i%2 == 1 {
			args = append([]string{script, "-0"}, args[1:]...) // protocol-0 pickles too
		}
		out, err := run("php", args...)
		if err != nil || strings.TrimSpace(out) != "OK: 1" {
			t.Fatalf("attempt %d: %v: %q", i, err, out)
		}
		if i == 8 && strings.Contains(e.readFile("bans"), "203.0.113.7") {
			t.Fatal("banned before the 10th attempt")
		}
	}
	eventually(t, "ban after 10 PHP attempts", func() bool {
		return strings.Contains(e.readFile("bans"), "ban 203.0.113.7\n")
	})
	out, _ := run("php", script, e.sock, "nojail", "203.0.113.7", "x")
	if !strings.Contains(out, "UnknownJailException") {
		t.Errorf("unknown jail: %q", out)
	}
}

func TestPHPAPI_AttemptFromPythonClient(t *testing.T) {
	need(t, "/usr/bin/fail2ban-client")
	e := newEnv(t, "")
	e.write("jail.local", phpAPIJail(e.dir))
	e.jails = 1
	e.appendLines("php-api.log")
	e.start()
	for i := range 10 {
		out, err := e.pyclient("set", "php-api", "attempt", "2001:db8::7", "Incorrect token used", fmt.Sprint(i))
		if err != nil || strings.TrimSpace(out) != "1" {
			t.Fatalf("attempt %d: %v %q", i, err, out)
		}
	}
	// Each attempt carries two messages, so five attempts reach maxretry.
	eventually(t, "ban of 2001:db8::7", func() bool {
		return strings.Contains(e.readFile("bans"), "ban 2001:db8::7\n")
	})
	out, _ := e.pyclient("get", "php-api", "banned")
	if strings.TrimSpace(out) != "['2001:db8::7']" {
		t.Errorf("get php-api banned = %q", out)
	}
}

// TestServer_SIGTERMCleansUp: actionstop runs, socket and pidfile go.
func TestServer_SIGTERMCleansUp(t *testing.T) {
	e := newEnv(t, "")
	e.write("jail.local", phpAPIJail(e.dir))
	e.jails = 1
	e.appendLines("php-api.log")
	e.start()
	if _, err := os.Stat(e.path("f2b.pid")); err != nil {
		t.Fatalf("pidfile: %v", err)
	}
	e.stop()
	for _, f := range []string{"f2b.sock", "f2b.pid"} {
		if _, err := os.Stat(e.path(f)); err == nil {
			t.Errorf("%s still exists after SIGTERM", f)
		}
	}
	if b := e.readFile("bans"); !strings.HasSuffix(b, "stop\n") {
		t.Errorf("actionstop did not run: %q", b)
	}
}
