package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestModuleOf(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "ban", in: "[sshd] Ban 192.0.2.1", want: "fail2ban.actions"},
		{name: "restore", in: "[sshd] Restore Ban 192.0.2.1", want: "fail2ban.actions"},
		{name: "unban", in: "[sshd] Unban 2001:db8::1", want: "fail2ban.actions"},
		{name: "already", in: "[sshd] 192.0.2.1 already banned", want: "fail2ban.actions"},
		{name: "increase", in: "[sshd] Increase Ban 192.0.2.1 (2 # 0:20:00 -> 2026-11-25 14:00:00)", want: "fail2ban.observer"},
		{name: "found", in: "[sshd] Found 192.0.2.1 - 2026-11-25 14:00:00", want: "fail2ban.filter"},
		{name: "jail started", in: "Jail 'sshd' started", want: ""},
		{name: "bracket only", in: "[sshd]", want: ""},
		{name: "other jail message", in: "[sshd] something else", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := moduleOf(tt.in); got != tt.want {
				t.Errorf("moduleOf(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestLogSetup_RecidiveFormat checks the line the stock recidive filter
// anchors on, that an explicit logger name wins, and level filtering.
func TestLogSetup_RecidiveFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f2b.log")
	l, err := newLogSetup(path, "NOTICE")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	jl := l.logger.With("jail", "sshd")
	jl.Log(t.Context(), slog.Level(2), "[sshd] Ban 192.0.2.1")
	jl.Info("[sshd] Found 192.0.2.1 - 2026-11-25 14:00:00") // below NOTICE
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

func FuzzModuleOf(f *testing.F) {
	for _, s := range []string{"[sshd] Ban 192.0.2.1", "[a] x already banned", "[", "] ", "[x] ", "Jail 'x' started", "[[]] Found ]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		switch name := moduleOf(msg); name {
		case "", "fail2ban.actions", "fail2ban.observer", "fail2ban.filter":
			if name != "" && !strings.HasPrefix(msg, "[") {
				t.Errorf("moduleOf(%q) = %q for a message without a jail", msg, name)
			}
		default:
			t.Errorf("moduleOf(%q) = unexpected %q", msg, name)
		}
	})
}

// BenchmarkLogSetup_Ban is the cost of one Ban line in the log file, which
// recidive reads; the jail writes one per ban.
func BenchmarkLogSetup_Ban(b *testing.B) {
	l, err := newLogSetup(filepath.Join(b.TempDir(), "f2b.log"), "INFO")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	jl := l.logger.With("jail", "sshd")
	for b.Loop() {
		jl.Log(b.Context(), slog.Level(2), "[sshd] Ban 192.0.2.1")
	}
}
