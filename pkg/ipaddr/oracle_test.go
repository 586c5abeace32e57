package ipaddr

import (
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

// TestParse_Oracle prints every non-error parse table input through
// Debian's fail2ban IPAddr and compares the text with ours.
func TestParse_Oracle(t *testing.T) {
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import fail2ban.server.ipdns").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("fail2ban python modules needed: %v", err)
		}
		t.Skipf("fail2ban python modules not available: %v", err)
	}
	var in []string
	for _, tt := range parseTests {
		if tt.wantErr == nil {
			in = append(in, tt.in)
		}
	}
	arg, _ := json.Marshal(in)
	script := "import json,sys\nfrom fail2ban.server.ipdns import IPAddr\n" +
		"print(json.dumps([str(IPAddr(s)) for s in json.loads(sys.argv[1])]))"
	out, err := exec.Command(py, "-c", script, string(arg)).Output()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("oracle output %q: %v", out, err)
	}
	for i, s := range in {
		if got := ParseID(s).String(); got != want[i] {
			t.Errorf("ParseID(%q) = %q, fail2ban says %q", s, got, want[i])
		}
	}
}
