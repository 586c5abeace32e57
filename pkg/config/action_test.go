package config

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLoadAction_StockActions resolves every stock action (plus a few
// argument forms) and compares with fail2ban's own ActionReader.
func TestLoadAction_StockActions(t *testing.T) {
	needOracle(t)
	vars := map[string]string{"port": "ssh", "protocol": "tcp", "chain": "<known/chain>", "bantime": "600",
		"logpath": "/var/log/auth.log", "destemail": "root@localhost", "sender": "root@host", "mta": "sendmail"}
	files, _ := filepath.Glob(filepath.Join(stockDir, "action.d", "*.conf"))
	var specs []string
	for _, f := range files {
		specs = append(specs, strings.TrimSuffix(filepath.Base(f), ".conf"))
	}
	specs = append(specs, `iptables-multiport[name=web, port="http,https"]`, "nftables[type=allports]",
		`sendmail-whois-lines[dest="a@b", name=sshd-extra]`, "iptables[actname=second, blocktype=DROP]")
	jv, _ := json.Marshal(vars)
	out, err := exec.Command(realPython, append([]string{"testdata/action_oracle.py", stockDir, string(jv)}, specs...)...).Output()
	if err != nil {
		t.Fatalf("running oracle: %v", err)
	}
	var want map[string]struct {
		Error   string
		ActName string
		Props   [][2]any
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	vars["__name__"] = "sshd"
	for _, spec := range specs {
		t.Run(spec, func(t *testing.T) {
			w := want[spec]
			ad, err := LoadAction(stockDir, spec, vars)
			if w.Error != "" {
				if err == nil {
					t.Fatalf("LoadAction succeeded, fail2ban fails with %q", w.Error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got [][2]any
			for _, p := range ad.Props {
				v := p.Value
				if n, ok := v.(int64); ok {
					v = float64(n) // JSON numbers
				}
				got = append(got, [2]any{p.Key, v})
			}
			if ad.ActName != w.ActName || !reflect.DeepEqual(got, w.Props) {
				t.Errorf("LoadAction(%q) = %s %v\nwant %s %v", spec, ad.ActName, got, w.ActName, w.Props)
			}
		})
	}
}
