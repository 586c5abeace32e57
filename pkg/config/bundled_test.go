package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const bundledDir = "../../config"

// TestBundled_Loads: the shipped tree loads without a single error once
// its log files exist.
func TestBundled_Loads(t *testing.T) {
	dir := copyTree(t, bundledDir)
	logs := t.TempDir()
	writeFile(t, filepath.Join(dir, "paths.local"), "[DEFAULT]\nsyslog_auth = "+logs+"/auth.log\n"+
		"nginx_error_log = "+logs+"/nginx.log\nphp_api_log = "+logs+"/php-api.log\n")
	for _, f := range []string{"auth.log", "nginx.log", "php-api.log"} {
		writeFile(t, filepath.Join(logs, f), "")
	}
	c, err := Load(Options{Dir: dir})
	if err != nil {
		t.Fatalf("bundled config: %v\n%s", err, c.Errors().Details())
	}
	var started []string
	for _, cmd := range c.Stream() {
		if cmd[0] == "start" {
			started = append(started, cmd[1].(string))
		}
	}
	if strings.Join(started, ",") != "php-api" {
		t.Errorf("started jails = %v, want only php-api", started)
	}
	ad, err := LoadAction(dir, `record[file="/tmp/x.bans"]`, map[string]string{"__name__": "php-api"})
	if err != nil {
		t.Fatal(err)
	}
	if got := propValue(ad, "actionban"); got != `echo "ban <ip>" >> "/tmp/x.bans"` {
		t.Errorf("record actionban = %q", got)
	}
}

// TestBundled_AllJailsMatchOracle enables every bundled jail and compares
// with fail2ban-client -d on the same tree.
func TestBundled_AllJailsMatchOracle(t *testing.T) {
	needOracle(t)
	dir := copyTree(t, bundledDir)
	logs := filepath.Join(dir, "logs")
	writeFile(t, filepath.Join(dir, "paths.local"), "[DEFAULT]\nsyslog_auth = %(fail2ban_confpath)s/logs/auth.log\n"+
		"nginx_error_log = %(fail2ban_confpath)s/logs/nginx.log\nphp_api_log = %(fail2ban_confpath)s/logs/php-api.log\n")
	writeFile(t, filepath.Join(dir, "jail.local"), "[DEFAULT]\nenabled = true\n[sshd]\nmode = aggressive\naction = %(action_mw)s\n")
	for _, f := range []string{"auth.log", "nginx.log", "php-api.log"} {
		writeFile(t, filepath.Join(logs, f), "")
	}
	compareDumps(t, dir)
}

// TestBundled_FiltersHaveSamples: every bundled filter has a sample log
// with failJSON annotations for pkg/filter's corpus test.
func TestBundled_FiltersHaveSamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(bundledDir, "filter.d", "*.conf"))
	if len(files) == 0 {
		t.Fatal("no bundled filters")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".conf")
		data, err := os.ReadFile(filepath.Join("../filter/testdata/logs", name))
		if err != nil {
			t.Errorf("filter %s: no sample log: %v", name, err)
			continue
		}
		if !strings.Contains(string(data), `"match": true`) || !strings.Contains(string(data), `"match": false`) {
			t.Errorf("filter %s: samples need matching and non-matching lines", name)
		}
		if _, err := LoadFilter(bundledDir, name, nil); err != nil {
			t.Errorf("filter %s: %v", name, err)
		}
	}
}

func propValue(ad *ActionDef, k string) any {
	for _, p := range ad.Props {
		if p.Key == k {
			return p.Value
		}
	}
	return nil
}

func writeFile(t testing.TB, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
