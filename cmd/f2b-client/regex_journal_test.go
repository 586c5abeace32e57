package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/backend"
)

const journalRemote = "/lib/systemd/systemd-journal-remote"

// need skips (or fails under CI=true) without an external tool.
func need(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required under CI", p)
			}
			t.Skipf("%s not installed", p)
		}
	}
}

// writeTestJournal writes sshd and cron entries with systemd-journal-remote.
func writeTestJournal(t *testing.T) string {
	t.Helper()
	need(t, journalRemote)
	var buf bytes.Buffer
	msgs := []struct{ ident, pid, msg string }{
		{"sshd", "1234", "Failed password for root from 192.0.2.7 port 22 ssh2"},
		{"cron", "99", "hello 192.0.2.8"},
		{"sshd", "1235", "Invalid user bob from 2001:db8::5 port 22"},
		{"sshd", "1236", "Accepted publickey for git from 192.0.2.9 port 22 ssh2"},
	}
	for i, m := range msgs {
		fmt.Fprintf(&buf, "__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=0123456789abcdef0123456789abcdef\n",
			1795600801000000+int64(i)*1000250, 1000000+i*1000250)
		fmt.Fprintf(&buf, "_HOSTNAME=myhost\nSYSLOG_IDENTIFIER=%s\n_PID=%s\n_COMM=%s\n_SYSTEMD_UNIT=%s.service\nMESSAGE=%s\n\n",
			m.ident, m.pid, m.ident, m.ident, m.msg)
	}
	file := filepath.Join(t.TempDir(), "test.journal")
	cmd := exec.Command(journalRemote, "--output="+file, "-")
	cmd.Stdin = &buf
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("journal-remote: %v: %s", err, out)
	}
	return file
}

// TestRegexJournal compares the tester on a systemd-journal LOG with the
// real fail2ban-regex (python-systemd).
func TestRegexJournal(t *testing.T) {
	need(t, "/usr/bin/fail2ban-regex", "/etc/fail2ban/filter.d/sshd.conf")
	file := writeTestJournal(t)
	log := "systemd-journal[journalfiles=" + file + "]"
	// A machine directory under journalpath, as /var/log/journal holds
	// them: read through journalctl, not directly.
	machines := t.TempDir()
	machine := filepath.Join(machines, "0123456789abcdef0123456789abcdef")
	data, err := os.ReadFile(file)
	if err == nil {
		err = os.Mkdir(machine, 0o700)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(machine, "system.journal"), data, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []string
	}{
		{name: "filter", in: []string{log, "sshd"}},
		{name: "filter all lists", in: []string{"--print-all-matched", log, "sshd"}},
		{name: "literal", in: []string{log, "hello <HOST>"}},
		{name: "datepattern", in: []string{"-d", "{^LN-BEG}", log, "hello <HOST>"}},
		{name: "out row", in: []string{"-o", "row", log, "hello <HOST>"}},
		{name: "journal match", in: []string{"-m", "_COMM=cron", "--print-all-missed", log, "hello <HOST>"}},
		{name: "journalpath", in: []string{"systemd-journal[journalpath=" + filepath.Dir(file) + "]", "sshd"}},
		{name: "journalpath through journalctl", in: []string{"-m", "_COMM=sshd", "systemd-journal[journalpath=" + machines + "]", "sshd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(append([]string{"regex"}, tt.in...), &out, &errb)
			real := exec.CommandContext(t.Context(), "/usr/bin/fail2ban-regex", tt.in...)
			want, err := real.Output()
			if err != nil {
				t.Skipf("fail2ban-regex cannot read the journal here (python3-systemd missing?): %v", err)
			}
			got := processedRE.ReplaceAllString(out.String(), "[processed in X sec]")
			w := processedRE.ReplaceAllString(string(want), "[processed in X sec]")
			if code != 0 || got != w {
				t.Errorf("regex %q = %d\n%s\nwant (fail2ban-regex)\n%s", tt.in, code, got, w)
			}
		})
	}
}

// The reading goroutine hands every entry over in order, and its error
// after them.
func TestPipelined(t *testing.T) {
	for _, n := range []int{0, 1, journalBatch - 1, journalBatch, 10*journalBatch + 3} {
		var got []string
		readErr := errors.New("read error")
		err := pipelined(t.Context(), func(s string, tm time.Time) {
			if want := fmt.Sprint(len(got)); s != want || tm.Unix() != int64(len(got)) {
				t.Fatalf("entry %d: %q at %v", len(got), s, tm)
			}
			got = append(got, s)
		}, func(ctx context.Context, emit func(string, time.Time)) error {
			for i := range n {
				emit(fmt.Sprint(i), time.Unix(int64(i), 0))
			}
			return readErr
		})
		if !errors.Is(err, readErr) || len(got) != n {
			t.Errorf("n=%d: %d entries, err %v; want %d and the read error", n, len(got), err, n)
		}
	}
}

// A cancelled context stops the reader even while the consumer is slow.
func TestPipelined_Cancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	emitted := 0
	err := pipelined(ctx, func(string, time.Time) {
		if emitted++; emitted == 1 {
			cancel()
		}
	}, func(ctx context.Context, emit func(string, time.Time)) error {
		for ctx.Err() == nil {
			emit("x", time.Time{})
		}
		return ctx.Err()
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestNativeJournalFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"system.journal", "user-1000.journal~", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	nested := t.TempDir()
	if err := os.Mkdir(filepath.Join(nested, "0123456789abcdef0123456789abcdef"), 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts backend.JournalOptions
		want []string // nil: journalctl
	}{
		{name: "files", opts: backend.JournalOptions{Files: []string{filepath.Join(dir, "*.journal*"), filepath.Join(dir, "system.journal")}},
			want: []string{filepath.Join(dir, "system.journal"), filepath.Join(dir, "user-1000.journal~")}},
		{name: "no file", opts: backend.JournalOptions{Files: []string{filepath.Join(dir, "none*")}}},
		{name: "path", opts: backend.JournalOptions{Path: dir},
			want: []string{filepath.Join(dir, "system.journal"), filepath.Join(dir, "user-1000.journal~")}},
		{name: "path with subdirectory", opts: backend.JournalOptions{Path: nested}},
		{name: "missing path", opts: backend.JournalOptions{Path: filepath.Join(dir, "none")}},
		{name: "system journal", opts: backend.JournalOptions{}},
		{name: "namespace", opts: backend.JournalOptions{Files: []string{filepath.Join(dir, "*")}, Namespace: "n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := nativeJournalFiles(tt.opts)
			if ok != (tt.want != nil) || !slices.Equal(got, tt.want) {
				t.Errorf("nativeJournalFiles = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}
