package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/logging"
)

// TestLogSetup_RecidiveFormat checks the line the stock recidive filter
// anchors on, that the logger name a component sets is printed, and
// level filtering.
func TestLogSetup_RecidiveFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f2b.log")
	l, err := newLogSetup(path, "NOTICE")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	jl := logging.Named(l.logger, "fail2ban.actions").With("jail", "sshd")
	jl.Log(t.Context(), slog.Level(2), "[sshd] Ban 192.0.2.1")
	logging.Named(l.logger, "fail2ban.filter").Info("[sshd] Found 192.0.2.1 - 2026-11-25 14:00:00") // below NOTICE
	l.logger.With("logger", "fail2ban.server").Warn("[x] Ban 192.0.2.9")
	if got, err := l.Reopen(); err != nil || got != "rolled over" {
		t.Errorf("Reopen() = %q, %v; want rolled over", got, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} fail2ban\.actions {8}\[\d+\]: NOTICE  \[sshd\] Ban 192\.0\.2\.1$`),
		regexp.MustCompile(`^\S+ \S+ fail2ban\.server {9}\[\d+\]: WARNING \[x\] Ban 192\.0\.2\.9$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), b)
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d = %q, want match for %s", i, lines[i], re)
		}
	}
}

func TestLogSetup_Errors(t *testing.T) {
	tests := []struct {
		name    string
		target  string
		level   string
		wantErr bool
	}{
		{name: "ok", target: "STDERR", level: "INFO"},
		{name: "numeric level", target: "STDOUT", level: "25"},
		{name: "bad level", target: "STDERR", level: "LOUD", wantErr: true},
		{name: "bad file", target: "/nonexistent-dir/x/f2b.log", level: "INFO", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := newLogSetup(tt.target, tt.level)
			if (err != nil) != tt.wantErr {
				t.Fatalf("newLogSetup(%q, %q) error = %v, wantErr %v", tt.target, tt.level, err, tt.wantErr)
			}
			if l != nil {
				if got, err := l.Reopen(); err != nil || got != "flushed" {
					t.Errorf("Reopen() = %q, %v; want flushed", got, err)
				}
			}
		})
	}
}

// BenchmarkLogSetup_Ban is the cost of one Ban line in the log file, which
// recidive reads; the jail writes one per ban.
func BenchmarkLogSetup_Ban(b *testing.B) {
	l, err := newLogSetup(filepath.Join(b.TempDir(), "f2b.log"), "INFO")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	jl := logging.Named(l.logger, "fail2ban.actions").With("jail", "sshd")
	for b.Loop() {
		jl.Log(b.Context(), slog.Level(2), "[sshd] Ban 192.0.2.1")
	}
}
