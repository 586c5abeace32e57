package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeTree creates files (path -> content) under a new temp dir.
func writeTree(t testing.TB, files map[string]string) string {
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

func TestLoad_Errors(t *testing.T) {
	tests := []struct {
		name       string
		in         map[string]string
		wantErr    string // substring of one error, with its position
		wantFatal  bool   // the whole tree fails (no stream)
		wantInDump string
	}{
		{
			name:       "missing filter file",
			in:         map[string]string{"jail.conf": "[a]\nenabled = true\nfilter = nothere\n"},
			wantErr:    `jail.conf:1: jail "a": Unable to read the filter 'nothere'`,
			wantInDump: "Jail 'a' skipped, because of wrong configuration: Unable to read the filter 'nothere'",
		},
		{
			name:       "unknown action",
			in:         map[string]string{"jail.conf": "[b]\nenabled = true\nfilter = f\naction = nothere\n", "filter.d/f.conf": okFilter},
			wantErr:    `jail.conf:1: jail "b": Unable to read action 'nothere'`,
			wantInDump: "Unable to read action 'nothere'",
		},
		{
			name:    "bad time string",
			in:      map[string]string{"jail.conf": "[c]\nenabled = true\nfilter = f\nbantime = 1x\n", "filter.d/f.conf": okFilter},
			wantErr: `jail.conf:4: jail "c": bantime: invalid time string "1x"`,
		},
		{
			name:       "unbalanced bracket",
			in:         map[string]string{"jail.conf": "[d]\nenabled = true\nfilter = f[x=1\n", "filter.d/f.conf": okFilter},
			wantErr:    `jail.conf:1: jail "d": Invalid filter definition 'f[x=1': unexpected option syntax`,
			wantInDump: "Invalid filter definition",
		},
		{
			name:      "interpolation loop",
			in:        map[string]string{"jail.conf": "[e]\nenabled = true\nfilter = %(a)s\na = %(b)s\nb = %(a)s\n"},
			wantErr:   `option "filter": interpolation too deeply recursive`,
			wantFatal: true,
		},
		{
			name: "include cycle",
			in: map[string]string{
				"jail.conf":  "[INCLUDES]\nbefore = other.conf\n[f]\nenabled = true\nfilter = f\n",
				"other.conf": "[INCLUDES]\nbefore = jail.conf\n", "filter.d/f.conf": okFilter,
			},
			wantErr: `other.conf: [INCLUDES] before: include cycle`,
		},
		{
			name: "include cycle through a .local sibling",
			in: map[string]string{
				"jail.conf":  "[INCLUDES]\nafter = jail.local\n[f]\nenabled = true\nfilter = f\n",
				"jail.local": "[INCLUDES]\nbefore = jail.conf\n", "filter.d/f.conf": okFilter,
			},
			wantErr: `include cycle through`,
		},
		{
			name:      "duplicate option",
			in:        map[string]string{"jail.conf": "[g]\nenabled = true\nenabled = false\n"},
			wantErr:   `jail.conf:3: section "g": option "enabled" already exists in this file`,
			wantFatal: true,
		},
		{
			name:      "line without delimiter",
			in:        map[string]string{"jail.conf": "[h]\nenabled = true\njust words\n"},
			wantErr:   `jail.conf:3: line is neither a section, an option nor a comment`,
			wantFatal: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.in)
			var c *Config
			var err error
			done := make(chan struct{})
			go func() { c, err = Load(Options{Dir: dir}); close(done) }()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("Load did not return within a minute (a loop?)")
			}
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if !strings.Contains(err.Error()+"\n"+c.Errors().Details(), tt.wantErr) {
				t.Errorf("errors:\n%s\nwant one containing %q", c.Errors().Details(), tt.wantErr)
			}
			if (c.Stream() == nil) != tt.wantFatal {
				t.Errorf("fatal = %v, want %v (%v)", c.Stream() == nil, tt.wantFatal, c.Fatal())
			}
			if tt.wantInDump != "" {
				var b strings.Builder
				if err := Dump(&b, c.Stream(), false); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(b.String(), tt.wantInDump) {
					t.Errorf("dump lacks %q:\n%s", tt.wantInDump, b.String())
				}
			}
		})
	}
}

// TestLoad_ErrorsCollected checks that one run reports every broken jail.
func TestLoad_ErrorsCollected(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"jail.conf": "[a]\nenabled = true\nfilter = nothere\n[b]\nenabled = true\nfilter = f\naction = nothere\n" +
			"[c]\nenabled = true\nfilter = f\nfindtime = soon\n",
		"filter.d/f.conf": okFilter,
	})
	c, err := Load(Options{Dir: dir})
	if err == nil {
		t.Fatal("want errors")
	}
	if got := len(c.Errors()); got != 3 {
		t.Errorf("got %d errors, want 3:\n%s", got, c.Errors().Details())
	}
	if c.TestOK() {
		t.Error("TestOK() = true for a tree with broken jails")
	}
	if !c.DumpOK() {
		t.Error("DumpOK() = false although jail c is valid")
	}
}

// TestLoad_SyntaxErrorsOfAllFiles: a syntax error stops the load, but the
// other files' syntax errors are reported in the same run.
func TestLoad_SyntaxErrorsOfAllFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"jail.conf":       "[a]\nbroken line\n",
		"filter.d/x.conf": "[Definition]\nfailregex = ok\nalso broken\n",
		"action.d/y.conf": "no section = here\n",
	})
	c, _ := Load(Options{Dir: dir})
	details := c.Errors().Details()
	for _, want := range []string{"jail.conf:2:", "filter.d/x.conf:3:", "action.d/y.conf:1:"} {
		if !strings.Contains(details, want) {
			t.Errorf("errors lack %q:\n%s", want, details)
		}
	}
}

// TestLoad_ErrorTreesMatchOracle: the dumps of the error trees still match
// fail2ban-client -d byte for byte.
func TestLoad_ErrorTreesMatchOracle(t *testing.T) {
	needOracle(t)
	for _, files := range []map[string]string{
		{"jail.conf": "[a]\nenabled = true\nfilter = nothere\n[d]\nenabled = true\nfilter = f[x=1\n", "filter.d/f.conf": okFilter},
		{"jail.conf": "[e]\nenabled = true\nfilter = %(a)s\na = %(b)s\nb = %(a)s\n"},
		{"jail.conf": "[g]\nenabled = true\nenabled = false\n"},
		{"jail.conf": "[INCLUDES]\nbefore = other.conf\n[f]\nenabled = true\nfilter = f\n", "other.conf": "[INCLUDES]\nbefore = jail.conf\n[f]\nbantime = 1\n", "filter.d/f.conf": okFilter},
	} {
		compareDumps(t, writeTree(t, files))
	}
}
