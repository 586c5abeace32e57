package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInstall: make install puts the binaries, the systemd unit and the
// bundled config under DESTDIR/PREFIX, and COMPAT=1 adds fail2ban's names,
// which behave like the originals (fail2ban-regex is the regex tester).
func TestInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds with make")
	}
	dest := t.TempDir()
	cmd := exec.Command("make", "install", "DESTDIR="+dest, "PREFIX=/usr", "COMPAT=1",
		"UNITDIR=/lib/systemd/system", "CONFDIR=/etc/fail2ban")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	for _, f := range []string{"usr/bin/f2b-server", "usr/bin/f2b-client"} {
		st, err := os.Stat(filepath.Join(dest, f))
		if err != nil || st.Mode()&0o111 == 0 {
			t.Errorf("%s not installed executable: %v", f, err)
		}
	}
	for link, target := range map[string]string{"fail2ban-server": "f2b-server", "fail2ban-client": "f2b-client", "fail2ban-regex": "f2b-client"} {
		got, err := os.Readlink(filepath.Join(dest, "usr/bin", link))
		if err != nil || got != target {
			t.Errorf("%s -> %q (%v), want %s", link, got, err, target)
		}
	}
	unit, err := os.ReadFile(filepath.Join(dest, "lib/systemd/system/f2b.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Type=simple", "ExecStart=/usr/bin/f2b-server -xf", "ExecReload=/usr/bin/f2b-client reload", "RuntimeDirectory=fail2ban"} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("unit lacks %q:\n%s", want, unit)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "etc/fail2ban/jail.d/php-api.conf")); err != nil {
		t.Errorf("bundled config not installed: %v", err)
	}
	// The installed tree reads cleanly, and fail2ban-regex is the tester.
	out, err := run(filepath.Join(dest, "usr/bin/fail2ban-client"), "-c", filepath.Join(dest, "etc/fail2ban"), "-d")
	if err != nil || !strings.Contains(out, "['add', 'php-api'") {
		t.Errorf("fail2ban-client -d on the installed config: %v\n%s", err, out)
	}
	line := "2026-11-25T13:01:02 192.0.2.1 - Incorrect token used. (more info here ...)"
	out, err = run(filepath.Join(dest, "usr/bin/fail2ban-regex"), line, `^\s*<ADDR>\s+\S+\s+Incorrect token used\.`)
	if err != nil || !strings.Contains(out, "1 matched") {
		t.Errorf("fail2ban-regex link: %v\n%s", err, out)
	}
}
