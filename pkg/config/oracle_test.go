package config

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/ini"
)

const (
	realClient = "/usr/bin/fail2ban-client"
	realPython = "/usr/bin/python3"
	stockDir   = "/etc/fail2ban"
)

// needOracle skips (or fails under CI=true) when fail2ban is not installed.
func needOracle(t testing.TB) {
	t.Helper()
	for _, p := range []string{realClient, realPython, stockDir + "/jail.conf"} {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("fail2ban oracle missing: %v", err)
			}
			t.Skipf("fail2ban 1.0.2 not installed (%v); install the Debian package to compare", err)
		}
	}
}

// oracleDump runs the real fail2ban-client -d on dir.
func oracleDump(t testing.TB, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(realClient, append([]string{"-c", dir}, args...)...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	_ = cmd.Run() // the exit status is compared by the callers that care
	return stdout.Bytes()
}

// ourDump renders Load's stream the way f2b-client -d prints it.
func ourDump(t testing.TB, dir string) []byte { return ourDumpAs(t, dir, false) }

// ourDumpAs renders -d, or --dp when pretty.
func ourDumpAs(t testing.TB, dir string, pretty bool) []byte {
	t.Helper()
	c, _ := Load(Options{Dir: dir})
	var b bytes.Buffer
	if c.Stream() == nil {
		b.WriteString("ERROR: The configuration stream failed because of the invalid syntax.\n")
		return b.Bytes()
	}
	if err := Dump(&b, c.Stream(), pretty); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// copyTree copies src into a new temp dir and returns it.
func copyTree(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "fail2ban")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// enableAll writes a jail.local enabling every section of jail.conf.
func enableAll(t testing.TB, dir string) int {
	t.Helper()
	f, err := ini.ParseFile(filepath.Join(dir, "jail.conf"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	n := 0
	for _, s := range f.Sections {
		if s.Name == "INCLUDES" || s.Name == ini.DefaultSection {
			continue
		}
		b.WriteString("[" + s.Name + "]\nenabled = true\n\n")
		n++
	}
	if err := os.WriteFile(filepath.Join(dir, "jail.local"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return n
}

func compareDumps(t *testing.T, dir string) { compareDumpsAs(t, dir, false) }

func compareDumpsAs(t *testing.T, dir string, pretty bool) {
	t.Helper()
	flag := "-d"
	if pretty {
		flag = "--dp"
	}
	want := oracleDump(t, dir, flag)
	got := ourDumpAs(t, dir, pretty)
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("dump differs from fail2ban-client %s at line %d:\n got: %.400s\nwant: %.400s", flag, i+1, g, w)
			}
		}
	}
}

func TestStream_StockTreeAllJails(t *testing.T) {
	needOracle(t)
	dir := copyTree(t, stockDir)
	if n := enableAll(t, dir); n < 50 {
		t.Fatalf("only %d jails found in stock jail.conf", n)
	}
	compareDumps(t, dir)
	compareDumpsAs(t, dir, true)
}

func TestStream_StockTreeAsShipped(t *testing.T) {
	needOracle(t)
	compareDumps(t, copyTree(t, stockDir))
}
