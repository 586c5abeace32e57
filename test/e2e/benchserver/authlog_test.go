package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestAuthLog_FailureCount checks the generator's failure count against
// the real fail2ban-regex with the stock sshd filter: the ingestion
// benchmark waits for exactly that many failures.
func TestAuthLog_FailureCount(t *testing.T) {
	const regex, filter = "/usr/bin/fail2ban-regex", "/etc/fail2ban/filter.d/sshd.conf"
	for _, p := range []string{regex, filter} {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required in CI: %v", p, err)
			}
			t.Skipf("oracle %s not installed: %v", p, err)
		}
	}
	tests := []struct {
		name string
		in   int
		want int
	}{
		{name: "one of each", in: 10, want: 4},
		{name: "partial cycle", in: 13, want: 6},
		{name: "many chunks", in: 3000, want: 1200},
	}
	re := regexp.MustCompile(`Lines: (\d+) lines, \d+ ignored, (\d+) matched`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks, got := authLog(tt.in, time.Now())
			if got != tt.want {
				t.Errorf("authLog(%d) counts %d failures, want %d", tt.in, got, tt.want)
			}
			path := filepath.Join(t.TempDir(), "auth.log")
			if err := os.WriteFile(path, bytes.Join(chunks, nil), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(regex, path, filter).CombinedOutput()
			m := re.FindSubmatch(out)
			if err != nil || m == nil {
				t.Fatalf("fail2ban-regex: %v\n%s", err, out)
			}
			if lines, _ := strconv.Atoi(string(m[1])); lines != tt.in {
				t.Errorf("fail2ban-regex read %d lines, want %d", lines, tt.in)
			}
			if matched, _ := strconv.Atoi(string(m[2])); matched != got {
				t.Errorf("fail2ban-regex counts %d failures, generator %d", matched, got)
			}
		})
	}
}
