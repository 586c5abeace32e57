package logging

import (
	"bytes"
	"context"
	"encoding/binary"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseTargetSpec(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     string
		wantOpts map[string]string
		wantErr  bool
	}{
		{name: "plain", in: "STDOUT", want: "STDOUT", wantOpts: map[string]string{}},
		{name: "file", in: "/var/log/fail2ban.log", want: "/var/log/fail2ban.log", wantOpts: map[string]string{}},
		{name: "options", in: "SYSLOG[facility=AUTH, padding=on]", want: "SYSLOG",
			wantOpts: map[string]string{"facility": "AUTH", "padding": "on"}},
		{name: "quoted format", in: `STDERR[format="%(message)s"]`, want: "STDERR",
			wantOpts: map[string]string{"format": "%(message)s"}},
		{name: "empty", in: " ", wantErr: true},
		{name: "option without value", in: "SYSLOG[facility]", wantErr: true},
		{name: "only options", in: "[a=b]", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, opts, err := ParseTargetSpec(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && (got != tt.want || len(opts) != len(tt.wantOpts)) {
				t.Errorf("= %q %v, want %q %v", got, opts, tt.want, tt.wantOpts)
			}
			for k, v := range tt.wantOpts {
				if opts[k] != v {
					t.Errorf("option %s = %q, want %q", k, opts[k], v)
				}
			}
		})
	}
}

func FuzzParseTargetSpec(f *testing.F) {
	for _, s := range []string{"STDOUT", "SYSLOG[facility=AUTH, padding=on]", `x[format="%(name)-24s"]`, "[", "a[]", "]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, _, err := ParseTargetSpec(s)
		if err == nil && name == "" {
			t.Fatalf("ParseTargetSpec(%q) gave an empty target without error", s)
		}
	})
}

func FuzzFormat(f *testing.F) {
	for _, s := range []string{formatDefault, "%(name)-24.3s%%%(x)d", "%(", "%(levelno)5d %(message).2s", "%%(name)s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := compileFormat(s)
		c.appendTo(nil, &fields{time: time.Unix(0, 0), name: "n", levelname: "INFO", message: "m", process: 1, levelno: 20})
		if again := compileFormat(c.String()); again.String() != c.String() {
			t.Fatalf("format %q: String() %q does not round-trip (%q)", s, c.String(), again.String())
		}
	})
}

func TestTarget_FileReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f2b.log")
	target, err := OpenTarget(path, TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	l := Named(slog.New(New(target, Options{PID: 1})), "fail2ban.server")
	l.Info("before rotation")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	l.Info("still old file")
	if err := target.Reopen(); err != nil {
		t.Fatal(err)
	}
	l.Info("after reopen")
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "rotated", in: path + ".1", want: []string{"before rotation", "still old file"}},
		{name: "new", in: path, want: []string{"after reopen"}},
	}
	for _, tt := range tests {
		raw, err := os.ReadFile(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
		if len(lines) != len(tt.want) {
			t.Fatalf("%s: %q", tt.name, raw)
		}
		for i, w := range tt.want {
			if !strings.HasSuffix(lines[i], "fail2ban.server         [1]: INFO    "+w) {
				t.Errorf("%s line %d = %q, want …%s", tt.name, i, lines[i], w)
			}
		}
	}
	if target.Kind() != KindFile || target.Name() != path {
		t.Errorf("Kind, Name = %q, %q", target.Kind(), target.Name())
	}
}

func TestTarget_FileUnwritable(t *testing.T) {
	_, err := OpenTarget(filepath.Join(t.TempDir(), "no", "such", "dir.log"), TargetOptions{})
	if err == nil {
		t.Fatal("OpenTarget of a path in a missing directory succeeded")
	}
}

// listen returns a unixgram socket standing in for syslog or the journal.
func listen(t *testing.T) (string, *net.UnixConn) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return path, conn
}

func readDatagram(t *testing.T, c *net.UnixConn) []byte {
	t.Helper()
	buf := make([]byte, 65536)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	return buf[:n]
}

func TestTarget_Syslog(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		level slog.Level
		want  string
	}{
		{name: "ban notice daemon", in: "SYSLOG", level: LevelNotice,
			want: "<29>fail2ban.actions[42]: NOTICE [sshd] Ban 192.0.2.1\x00"},
		{name: "auth facility", in: "SYSLOG[facility=auth]", level: LevelError,
			want: "<35>fail2ban.actions[42]: ERROR [sshd] Ban 192.0.2.1\x00"},
		{name: "unknown facility is daemon, TRACE is warning", in: "SYSLOG[facility=nope]", level: LevelTrace,
			want: "<28>fail2ban.actions[42]: TRACE [sshd] Ban 192.0.2.1\x00"},
		{name: "padding and time on request", in: "SYSLOG[padding=on]", level: LevelInfo,
			want: "<30>fail2ban.actions        [42]: INFO    [sshd] Ban 192.0.2.1\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sock, srv := listen(t)
			target, err := OpenTarget(tt.in, TargetOptions{SyslogSocket: sock})
			if err != nil {
				t.Fatal(err)
			}
			defer target.Close()
			l := Named(slog.New(New(target, Options{PID: 42, Level: LevelHeavy})), "fail2ban.actions")
			l.Log(context.Background(), tt.level, "[sshd] Ban 192.0.2.1")
			if got := string(readDatagram(t, srv)); got != tt.want {
				t.Errorf("datagram %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := OpenTarget("SYSLOG", TargetOptions{SyslogSocket: filepath.Join(t.TempDir(), "none")}); err == nil {
		t.Error("SYSLOG with a missing socket succeeded")
	}
}

// parseJournal decodes the native journal protocol.
func parseJournal(t *testing.T, b []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for len(b) > 0 {
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 {
			t.Fatalf("unterminated field %q", b)
		}
		if k, v, ok := bytes.Cut(b[:nl], []byte("=")); ok {
			out[string(k)] = string(v)
			b = b[nl+1:]
			continue
		}
		key := string(b[:nl])
		n := binary.LittleEndian.Uint64(b[nl+1 : nl+9])
		out[key] = string(b[nl+9 : nl+9+int(n)])
		if b[nl+9+int(n)] != '\n' {
			t.Fatalf("binary field %s not newline-terminated", key)
		}
		b = b[nl+10+int(n):]
	}
	return out
}

func TestTarget_Journal(t *testing.T) {
	tests := []struct {
		name  string
		level slog.Level
		msg   string
		want  map[string]string
	}{
		{name: "ban", level: LevelNotice, msg: "[sshd] Ban 192.0.2.1",
			want: map[string]string{"MESSAGE": "[sshd] Ban 192.0.2.1", "PRIORITY": "5", "SYSLOG_IDENTIFIER": "fail2ban",
				"SYSLOG_PID": "42", "LOGGER": "fail2ban.actions"}},
		{name: "multi-line error", level: LevelError, msg: "line1\nline2=x",
			want: map[string]string{"MESSAGE": "line1\nline2=x", "PRIORITY": "3"}},
		{name: "debug", level: LevelTrace, msg: "t", want: map[string]string{"PRIORITY": "7"}},
		{name: "info", level: LevelInfo, msg: "i", want: map[string]string{"PRIORITY": "6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sock, srv := listen(t)
			target, err := OpenTarget("systemd-journal", TargetOptions{JournalSocket: sock})
			if err != nil {
				t.Fatal(err)
			}
			defer target.Close()
			l := Named(slog.New(New(target, Options{PID: 42, Level: LevelHeavy})), "fail2ban.actions")
			l.Log(context.Background(), tt.level, tt.msg)
			got := parseJournal(t, readDatagram(t, srv))
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q (all: %q)", k, got[k], v, got)
				}
			}
		})
	}
}

func TestHandler_SetTarget(t *testing.T) {
	var a, b bytes.Buffer
	ta, _ := OpenTarget("SYSOUT", TargetOptions{Stdout: &a})
	tb, _ := OpenTarget("STDERR[datetime=off]", TargetOptions{Stderr: &b})
	h := New(ta, Options{PID: 1, Location: time.UTC})
	l := Named(slog.New(h), "fail2ban.server")
	l.Info("one")
	if old := h.SetTarget(tb); old != ta {
		t.Error("SetTarget did not return the previous target")
	}
	l.Info("two")
	if !strings.HasSuffix(a.String(), "INFO    one\n") || !strings.HasSuffix(b.String(), "INFO    two\n") || h.Target() != tb {
		t.Errorf("a=%q b=%q", a.String(), b.String())
	}
}

// TestTarget_FlushDelay: buffered lines reach the file within the delay,
// and at once on Close.
func TestTarget_FlushDelay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f2b.log")
	tg, err := OpenTarget(path, TargetOptions{FlushDelay: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	l := slog.New(New(tg, Options{}))
	l.Info("first")
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if strings.Contains(string(b), "first") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("buffered line never written")
		}
		time.Sleep(5 * time.Millisecond)
	}
	l.Info("second")
	if err := tg.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "second") {
		t.Errorf("Close did not flush: %q", b)
	}
}
