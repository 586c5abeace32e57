package config

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// errorTree writes a tree of n jails where jail 3's filter has an
// unparsable journalmatch (an error raised while the stream is assembled)
// and jail 6's action references itself (an error raised while it is
// prepared): whichever way jails are prepared, jail 3's must be reported.
func errorTree(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"filter.d/ok.conf":   "[Definition]\nfailregex = ^fail <HOST>$\n",
		"filter.d/bad.conf":  "[Definition]\nfailregex = ^bad <HOST>$\njournalmatch = \"unclosed\n",
		"action.d/ok.conf":   "[Definition]\nactionban = echo <ip> <name> <port>\n",
		"action.d/loop.conf": "[Definition]\nactionban = <a>\na = <b>\nb = <a>\n",
	}
	var jails strings.Builder
	jails.WriteString("[DEFAULT]\nport = 22\nlogpath = " + filepath.Join(dir, "log") + "\n")
	for i := range n {
		filter, action := "ok", "ok[port=2"+fmt.Sprint(i)+"]"
		if i == 3 {
			filter = "bad"
		}
		if i == 6 {
			action = "loop"
		}
		fmt.Fprintf(&jails, "[j%d]\nenabled = true\nfilter = %s\naction = %s\n         ok[name=x%d]\n", i, filter, action, i)
	}
	files["jail.conf"] = jails.String()
	files["log"] = ""
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadOutcome is everything -d shows of a load: the dump and the errors.
func loadOutcome(t *testing.T, dir string) string {
	t.Helper()
	c, _ := Load(Options{Dir: dir})
	return fmt.Sprintf("%s\nfatal: %v\nerrors: %v", ourDump(t, dir), c.Fatal(), c.Errors())
}

// TestPrepareAll_SameAsSequential checks that preparing jails on two
// goroutines changes nothing: same stream, same first error.
func TestPrepareAll_SameAsSequential(t *testing.T) {
	tests := []struct {
		name    string
		in      func(t *testing.T) string
		wantErr string // in the parallel outcome
	}{
		{name: "stock tree, every jail", in: func(t *testing.T) string {
			needOracle(t)
			dir := copyTree(t, stockDir)
			enableAll(t, dir)
			return dir
		}},
		{name: "first error in jail order", in: func(t *testing.T) string { return errorTree(t, 12) },
			wantErr: `fatal: jail "j3": journalmatch`},
		{name: "prepare error only", in: errorTreeNoBad,
			wantErr: `fatal: jail "j6": properties contain self referencing definitions`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.in(t)
			prev := runtime.GOMAXPROCS(1)
			seq := loadOutcome(t, dir)
			runtime.GOMAXPROCS(max(prev, 2))
			par := loadOutcome(t, dir)
			runtime.GOMAXPROCS(prev)
			if seq != par {
				t.Fatalf("parallel preparation differs:\n--- sequential\n%s\n--- parallel\n%s", seq, par)
			}
			if !strings.Contains(par, tt.wantErr) {
				t.Fatalf("outcome lacks %q:\n%s", tt.wantErr, par)
			}
			if tt.wantErr == "" && !strings.Contains(par, "fatal: <nil>") {
				t.Fatalf("unexpected fatal error:\n%s", par)
			}
		})
	}
}

// errorTreeNoBad is errorTree with jail 3's filter fixed.
func errorTreeNoBad(t *testing.T) string {
	t.Helper()
	dir := errorTree(t, 12)
	if err := os.WriteFile(filepath.Join(dir, "filter.d/bad.conf"), []byte("[Definition]\nfailregex = ^bad <HOST>$\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
