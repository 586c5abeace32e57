package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const okFilter = "[Definition]\nfailregex = ^fail <HOST>$\n"

// trees used by the table and oracle tests; "%LOG%" becomes a real file.
var trees = map[string]map[string]string{
	"ok": {"jail.conf": "[a]\nenabled = true\nfilter = f\nlogpath = %LOG%\n", "filter.d/f.conf": okFilter},
	"broken-jail": {"jail.conf": "[a]\nenabled = true\nfilter = f\nlogpath = %LOG%\n[b]\nenabled = true\nfilter = nothere\n",
		"filter.d/f.conf": okFilter},
	"no-logs": {"jail.conf": "[a]\nenabled = true\nfilter = f\nlogpath = /nonexistent/x.log\n", "filter.d/f.conf": okFilter},
	"fatal":   {"jail.conf": "[a]\nenabled = true\nfilter = %(missing)s\n"},
}

func tree(t *testing.T, name string) string {
	t.Helper()
	log := filepath.Join(t.TempDir(), "x.log")
	if err := os.WriteFile(log, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for k, v := range trees[name] {
		files[k] = strings.ReplaceAll(v, "%LOG%", log)
	}
	return writeTree(t, files)
}

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		in       []string
		tree     string
		want     string // exact stdout, or a prefix when wantPref
		wantPref bool
		wantCode int
	}{
		{name: "short version", in: []string{"-V"}, want: "1.0.2\n"},
		{name: "long version", in: []string{"--version"}, want: "Fail2Ban v1.0.2", wantPref: true},
		{name: "str2sec", in: []string{"--str2sec", "1d12h"}, want: "129600\n"},
		{name: "str2sec float", in: []string{"--str2sec", "1mo"}, want: "2629800.0\n"},
		{name: "str2sec error", in: []string{"--str2sec", "1x"}, want: "ERROR", wantPref: true, wantCode: 255},
		{name: "bad option", in: []string{"--bogus"}, want: "Usage:", wantPref: true, wantCode: 255},
		{name: "no command", in: []string{}, want: "Usage:", wantPref: true, wantCode: 255},
		{name: "help", in: []string{"-h"}, want: "Usage:", wantPref: true},
		{name: "test ok", in: []string{"-t"}, tree: "ok", want: "OK: configuration test is successful\n"},
		{name: "test broken jail", in: []string{"-t"}, tree: "broken-jail", want: "", wantCode: 255},
		{name: "test missing logs", in: []string{"-t"}, tree: "no-logs", want: "", wantCode: 255},
		{name: "dump fatal", in: []string{"-d"}, tree: "fatal", want: "ERROR: The configuration stream failed because of the invalid syntax.\n", wantCode: 255},
		{name: "missing dir", in: []string{"-c", "/nonexistent/f2b-conf", "-d"}, want: "ERROR: Base configuration directory /nonexistent/f2b-conf does not exist \n", wantCode: 255},
		{name: "dump ok", in: []string{"-d"}, tree: "ok", want: "['set', 'syslogsocket', 'auto']\n", wantPref: true},
		{name: "dump with broken jail still ok", in: []string{"-d"}, tree: "broken-jail", want: "['set'", wantPref: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.in
			if tt.tree != "" {
				args = append([]string{"-c", tree(t, tt.tree)}, args...)
			}
			var out, errb bytes.Buffer
			code := run(args, &out, &errb)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr: %s)", code, tt.wantCode, errb.String())
			}
			got := out.String()
			if tt.wantPref && !strings.HasPrefix(got, tt.want) || !tt.wantPref && got != tt.want {
				t.Errorf("stdout = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRun_AgainstFail2banClient compares stdout and exit codes with the
// real fail2ban-client for -d, --dp and -t on each tree.
func TestRun_AgainstFail2banClient(t *testing.T) {
	const real = "/usr/bin/fail2ban-client"
	if _, err := os.Stat(real); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("fail2ban-client missing")
		}
		t.Skip("fail2ban 1.0.2 not installed; nothing to compare with")
	}
	for name := range trees {
		for _, flag := range []string{"-d", "--dp", "-t"} {
			t.Run(name+flag, func(t *testing.T) {
				dir := tree(t, name)
				cmd := exec.Command(real, "-c", dir, flag)
				var want bytes.Buffer
				cmd.Stdout = &want
				err := cmd.Run()
				wantCode := 0
				if ee, ok := err.(*exec.ExitError); ok {
					wantCode = ee.ExitCode()
				}
				var got, errb bytes.Buffer
				code := run([]string{"-c", dir, flag}, &got, &errb)
				if got.String() != want.String() || code != wantCode {
					t.Errorf("f2b-client %s: code %d, stdout:\n%s\nfail2ban-client: code %d, stdout:\n%s", flag, code, got.String(), wantCode, want.String())
				}
			})
		}
	}
}

// TestDeps keeps the client free of the server's heavy packages.
func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	for _, bad := range []string{"github.com/f2b/f2b/pkg/store", "github.com/f2b/f2b/pkg/jail", "modernc.org/sqlite"} {
		for _, dep := range strings.Fields(string(out)) {
			if dep == bad {
				t.Errorf("f2b-client depends on %s", bad)
			}
		}
	}
}
