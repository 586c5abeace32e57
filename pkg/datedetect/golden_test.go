package datedetect

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestDetector_TemplateNamesGolden pins the template lists (names as
// fail2ban-regex prints them) of the default and common datepatterns.
func TestDetector_TemplateNamesGolden(t *testing.T) {
	var b strings.Builder
	for _, p := range []string{"", "{^LN-BEG}", "^{DATE}", "^[^\\[]*\\[({DATE})\n{^LN-BEG}", "EPOCH", "{NONE}"} {
		d := newTestDetector(t, p, "", testNow)
		b.WriteString("# datepattern " + strings.ReplaceAll(p, "\n", "\\n") + "\n")
		for _, n := range d.Templates() {
			b.WriteString(n + "\n")
		}
	}
	const path = "testdata/templates.golden"
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("template names differ from %s (go test -update rewrites it):\n%s", path, b.String())
	}
}
