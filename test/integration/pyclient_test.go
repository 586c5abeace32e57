package integration

import (
	"bufio"
	"bytes"
	"errors"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pyScript is run with the real Python fail2ban-client against the real
// fail2ban-server and against f2b-server on identical configurations;
// every command's stdout and exit status must be equal.
var pyScript = []string{
	`ping`,
	`status`,
	`status php-api`,
	`status php-api short`,
	`set php-api banip 192.0.2.10 192.0.2.11 2001:db8::1`,
	`set php-api banip 192.0.2.10`,
	`get php-api banned`,
	`get php-api banned 192.0.2.10 198.51.100.7`,
	`get php-api banned 192.0.2.10`,
	`banned`,
	`banned 192.0.2.10 198.51.100.7`,
	`get php-api banip`,
	`get php-api banip ,`,
	`set php-api unbanip 192.0.2.11`,
	`set php-api unbanip 198.51.100.9`,
	`set php-api unbanip --report-absent 198.51.100.9`,
	`set php-api attempt 198.51.100.200 "Incorrect token used"`,
	`status php-api`,
	`status nojail`,
	`get nojail maxretry`,
	`get php-api maxretry`,
	`get php-api findtime`,
	`get php-api bantime`,
	`get php-api maxmatches`,
	`get php-api maxlines`,
	`get php-api usedns`,
	`get php-api failregex`,
	`get php-api ignoreregex`,
	`get php-api prefregex`,
	`get php-api datepattern`,
	`get php-api logpath`,
	`get php-api logencoding`,
	`get php-api journalmatch`,
	`get php-api ignoreself`,
	`get php-api ignoreip`,
	`get php-api ignorecommand`,
	`get php-api ignorecache`,
	`set php-api addignoreip 10.0.0.0/8 203.0.113.5`,
	`set php-api delignoreip 203.0.113.5`,
	`get php-api actions`,
	`get php-api action record actionban`,
	`get php-api action nosuch actionban`,
	`get php-api actionmethods record`,
	`set php-api maxretry 7`,
	`set php-api findtime 1h`,
	`set php-api findtime 1x`,
	`set php-api bantime 2h`,
	`set php-api maxlines 0`,
	`set php-api usedns bogus`,
	`set php-api addfailregex "^foo <HOST>$"`,
	`get php-api failregex`,
	`set php-api delfailregex 1`,
	`set php-api addfailregex "^foo (<HOST>$"`,
	`set php-api idle on`,
	`set php-api idle off`,
	`set php-api idle maybe`,
	`set php-api bogus 1`,
	`get php-api bogus`,
	`get loglevel`,
	`get logtarget`,
	`get dbfile`,
	`get dbpurgeage`,
	`get dbmaxmatches`,
	`get syslogsocket`,
	`set loglevel NOPE`,
	`echo hello world`,
	`foo bar`,
	`unban 192.0.2.10`,
	`unban --all`,
	`status php-api`,
	`flushlogs`,
	`stop`,
}

func TestPythonClient_SameOutputAsFail2ban(t *testing.T) {
	need(t, "/usr/bin/fail2ban-client", "/usr/bin/fail2ban-server")
	ref := newEnv(t, "")
	ref.write("jail.local", phpAPIJail(ref.dir))
	ref.appendLines("php-api.log")
	ours := newEnv(t, "")
	ours.write("jail.local", phpAPIJail(ours.dir))
	ours.jails = 1
	ours.appendLines("php-api.log")
	startFail2ban(t, ref)
	ours.start()
	// Both scripts run at once: each Python client start costs ~0.4 s.
	var want, got []string
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); want = runScript(t, ref) }()
	go func() { defer wg.Done(); got = runScript(t, ours) }()
	wg.Wait()
	ours.srv.Wait() // `stop` ends the server
	ours.srv = nil
	if len(got) != len(pyScript) || len(want) != len(pyScript) {
		t.Fatal("script did not run to the end")
	}

	for i := range pyScript {
		if got[i] != want[i] {
			t.Errorf("fail2ban-client %s\n--- fail2ban-server:\n%s\n--- f2b-server:\n%s", pyScript[i], want[i], got[i])
		}
	}
}

// startFail2ban runs the real fail2ban-server in the foreground on env.
func startFail2ban(t *testing.T, e *env) {
	t.Helper()
	cmd := exec.Command("/usr/bin/fail2ban-server", "-c", e.conf, "-xf", "start")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if o, err := e.pyclient("status"); err == nil && strings.Contains(o, "php-api") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("fail2ban-server did not start:\n%s", out.String())
}

var (
	reStamp = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`)
)

// runScript runs every command and returns "stdout + exit status" per
// command, with the run directory and times normalised.
func runScript(t *testing.T, e *env) []string {
	t.Helper()
	var res []string
	for _, line := range pyScript {
		args, err := splitWords(line)
		if err != nil {
			t.Error(err)
			return res
		}
		cmd := exec.Command("/usr/bin/fail2ban-client", append([]string{"-s", e.sock}, args...)...)
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		err = cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Error(err)
			return res
		}
		out := strings.ReplaceAll(stdout.String(), e.dir, "<DIR>")
		out = reStamp.ReplaceAllString(out, "<TIME>")
		res = append(res, out+"exit "+strconv.Itoa(code))
		if strings.Contains(line, " attempt ") {
			time.Sleep(50 * time.Millisecond) // let both servers count it
		}
	}
	return res
}

// splitWords splits a script line on spaces, honouring double quotes.
func splitWords(s string) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Split(bufio.ScanRunes)
	var cur strings.Builder
	inQ, have := false, false
	for sc.Scan() {
		r := sc.Text()
		switch {
		case r == `"`:
			inQ, have = !inQ, true
		case r == " " && !inQ:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteString(r)
			have = true
		}
	}
	if inQ {
		return nil, errors.New("unbalanced quote in " + s)
	}
	if have {
		out = append(out, cur.String())
	}
	return out, nil
}
