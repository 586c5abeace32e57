package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadme_PHPSnippet runs the PHP snippet the README shows, so the
// documentation cannot rot: ten calls ban the address.
func TestReadme_PHPSnippet(t *testing.T) {
	need(t, "php")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```php\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no php block")
	}
	e := newEnv(t, "")
	e.write("jail.local", phpAPIJail(e.dir))
	e.jails = 1
	e.appendLines("php-api.log")
	e.start()
	code := strings.Replace(string(m[1]), "'/run/fail2ban/fail2ban.sock'", "'"+e.sock+"'", 1)
	code = strings.Replace(code, "$_SERVER['REMOTE_ADDR'] ?? '192.0.2.1'", "'198.51.100.77'", 1)
	wrapper := filepath.Join(e.dir, "check.php")
	// Run the snippet's function ten times and check every reply.
	os.WriteFile(wrapper, []byte("<?php\n"+strings.Replace(code, "f2b_attempt('"+e.sock, "// f2b_attempt('"+e.sock, 1)+
		"\nfor ($i = 0; $i < 10; $i++) { if (!f2b_attempt('"+e.sock+"', 'php-api', '198.51.100.77', 'Incorrect token used')) { echo \"FAIL $i\\n\"; exit(1); } }\necho \"OK\\n\";\n"), 0o644)
	if out, err := run("php", wrapper); err != nil || strings.TrimSpace(out) != "OK" {
		t.Fatalf("snippet: %v %q", err, out)
	}
	eventually(t, "ban from the README snippet", func() bool {
		return strings.Contains(e.readFile("bans"), "ban 198.51.100.77\n")
	})
}
