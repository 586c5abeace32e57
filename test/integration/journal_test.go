package integration

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const journalRemote = "/lib/systemd/systemd-journal-remote"

// writeJournal writes entries (field lists) with the real
// systemd-journal-remote from export-format input.
func writeJournal(t *testing.T, file string, at time.Time, entries [][][2]string) {
	t.Helper()
	var buf bytes.Buffer
	for i, e := range entries {
		rt := at.Add(time.Duration(i) * time.Millisecond)
		fmt.Fprintf(&buf, "__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=0123456789abcdef0123456789abcdef\n",
			rt.UnixMicro(), rt.UnixMicro()-1_600_000_000_000_000)
		for _, f := range e {
			fmt.Fprintf(&buf, "%s=%s\n", f[0], f[1])
		}
		buf.WriteByte('\n')
	}
	cmd := exec.Command(journalRemote, "--output="+file, "-")
	cmd.Stdin = &buf
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("journal-remote: %v: %s", err, out)
	}
}

// stockEnv copies Debian's /etc/fail2ban (read at test time, never
// vendored) and adds the record action and a jail.local.
func stockEnv(t *testing.T, jailLocal string) *env {
	t.Helper()
	need(t, "/usr/bin/fail2ban-client")
	e := newEnv(t, "")
	os.RemoveAll(e.conf)
	if out, err := exec.Command("cp", "-a", "/etc/fail2ban", e.conf).CombinedOutput(); err != nil {
		t.Fatalf("copy stock tree: %v %s", err, out)
	}
	os.Remove(filepath.Join(e.conf, "jail.d", "defaults-debian.conf"))
	e.write("fail2ban.local", `[Definition]
logtarget = `+e.dir+`/f2b.log
socket = `+e.sock+`
pidfile = `+e.dir+`/f2b.pid
dbfile = `+e.dir+`/f2b.sqlite3
`)
	e.write("action.d/record.conf", `[Definition]
actionstart = echo start >> `+e.dir+`/bans
actionstop = echo stop >> `+e.dir+`/bans
actionban = echo ban <ip> >> `+e.dir+`/bans
actionunban = echo unban <ip> >> `+e.dir+`/bans
`)
	e.write("jail.local", jailLocal)
	return e
}

// TestJournal_StockSSHDAndPostfixBan: the stock sshd and postfix filters
// ban from real journal files (backend = systemd).
func TestJournal_StockSSHDAndPostfixBan(t *testing.T) {
	if _, err := os.Stat(journalRemote); err != nil {
		need(t, journalRemote)
	}
	dir, _ := os.MkdirTemp("/tmp", "f2bj-")
	t.Cleanup(func() { os.RemoveAll(dir) })
	jfile := filepath.Join(dir, "remote.journal")
	e := stockEnv(t, `[DEFAULT]
banaction = record
banaction_allports = record
usedns = no

[sshd]
enabled = true
backend = systemd[journalfiles="`+jfile+`"]
maxretry = 3

[postfix]
enabled = true
backend = systemd[journalfiles="`+jfile+`"]
maxretry = 2
`)
	e.jails = 2
	now := time.Now().Add(-time.Minute)
	var entries [][][2]string
	for i := range 3 {
		entries = append(entries, [][2]string{
			{"_SYSTEMD_UNIT", "sshd.service"}, {"_COMM", "sshd"}, {"SYSLOG_IDENTIFIER", "sshd"},
			{"_HOSTNAME", "host"}, {"_PID", "4242"},
			{"MESSAGE", fmt.Sprintf("Failed password for root from 203.0.113.9 port %d ssh2", 40000+i)},
		})
	}
	for range 2 {
		entries = append(entries, [][2]string{
			{"_SYSTEMD_UNIT", "postfix.service"}, {"SYSLOG_IDENTIFIER", "postfix/smtpd"},
			{"_HOSTNAME", "host"}, {"_PID", "777"},
			{"MESSAGE", "NOQUEUE: reject: RCPT from unknown[198.51.100.33]: 554 5.7.1 <x@example.com>: Relay access denied; from=<a@example.org> to=<x@example.com> proto=ESMTP helo=<h>"},
		})
	}
	// A non-matching unit must be ignored by journalmatch.
	entries = append(entries, [][2]string{{"_SYSTEMD_UNIT", "cron.service"}, {"_COMM", "cron"},
		{"MESSAGE", "Failed password for root from 192.0.2.99 port 1 ssh2"}})
	writeJournal(t, jfile, now, entries)
	e.start()
	eventually(t, "journal bans", func() bool {
		b := e.readFile("bans")
		return strings.Contains(b, "ban 203.0.113.9\n") && strings.Contains(b, "ban 198.51.100.33\n")
	})
	if strings.Contains(e.readFile("bans"), "192.0.2.99") {
		t.Error("an entry outside journalmatch was counted")
	}
	out, _ := e.client("status", "sshd")
	if !strings.Contains(out, "Journal matches:\t_SYSTEMD_UNIT=sshd.service + _COMM=sshd") {
		t.Errorf("status sshd:\n%s", out)
	}
}

// TestJournal_NoCgoBuildRefusesClearly: a CGO_ENABLED=0 server refuses a
// systemd jail with an error naming it, and the other jails still work.
func TestJournal_NoCgoBuildRefusesClearly(t *testing.T) {
	bins := t.TempDir()
	// Only the server: the client has no journal code and is shared.
	cmd := exec.Command("go", "build", "-o", bins+"/", "./cmd/f2b-server")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 build: %v\n%s", err, out)
	}
	e := newEnv(t, "")
	if err := os.Link(filepath.Join(e.bins, "f2b-client"), filepath.Join(bins, "f2b-client")); err != nil {
		t.Fatal(err)
	}
	e.bins = bins
	e.write("jail.local", phpAPIJail(e.dir)+`
[journaled]
enabled = true
filter = php-api
backend = systemd
`)
	e.appendLines("php-api.log")
	e.jails = 1
	e.start()
	for i := range 10 {
		e.appendLines("php-api.log", fmt.Sprintf("%s 192.0.2.30 - Incorrect token used. (%d)", isoNow(), i))
	}
	eventually(t, "php-api still bans", func() bool {
		return strings.Contains(e.readFile("bans"), "ban 192.0.2.30\n")
	})
	eventually(t, "an error naming the jail", func() bool {
		log := e.readFile("f2b.log")
		return strings.Contains(log, "'journaled'") && strings.Contains(log, "cgo")
	})
	out, _ := e.client("status")
	if strings.Contains(out, "journaled") {
		t.Errorf("the broken jail is still listed:\n%s", out)
	}
}
