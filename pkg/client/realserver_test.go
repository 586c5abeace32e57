package client

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestRealServer drives Debian's fail2ban-server (started unconfigured
// with --async) through our client and renders replies with Beautify.
func TestRealServer(t *testing.T) {
	const server = "/usr/bin/fail2ban-server"
	if _, err := os.Stat(server); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs %s: %v", server, err)
		}
		t.Skipf("%s not installed", server)
	}
	if testing.Short() {
		t.Skip("starts a real fail2ban-server")
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "f2b.sock")
	var stderr bytes.Buffer
	srv := exec.Command(server, "-f", "--async", "-x", "-s", sock, "-p", filepath.Join(dir, "f2b.pid"),
		"--logtarget", "STDERR", "--loglevel", "CRITICAL")
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Process.Kill()
		srv.Wait()
	})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	opts := Options{Socket: sock, Timeout: 10 * time.Second}
	if err := Wait(ctx, WaitOptions{Client: opts, Alive: true}); err != nil {
		t.Fatalf("server did not come up: %v\n%s", err, stderr.String())
	}
	c, err := Dial(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tests := []struct {
		name string
		in   []any
		want string
	}{
		{name: "ping", in: cmd("ping"), want: "Server replied: pong"},
		{name: "version", in: cmd("version"), want: "1.0.2"},
		{name: "echo", in: cmd("echo", "hello", "world"), want: "hello world"},
		{name: "status", in: cmd("status"), want: "Status\n|- Number of jail:\t0\n`- Jail list:\t"},
		{name: "unknown jail", in: cmd("status", "nojail"), want: "Sorry but the jail 'nojail' does not exist"},
		{name: "invalid", in: cmd("foo", "bar"), want: "Invalid command"},
		{name: "missing arg", in: cmd("set"), want: "Sorry but the command is invalid"},
		{name: "loglevel", in: cmd("get", "loglevel"), want: "Current logging level is 'CRITICAL'"},
		{name: "stop", in: cmd("stop"), want: "Shutdown successful"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := c.Send(ctx, tc.in)
			var got string
			if se, ok := err.(*ServerError); ok {
				got = BeautifyError(se.Exc)
			} else if err != nil {
				t.Fatalf("Send: %v", err)
			} else if got, err = Beautify(tc.in, v); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("output %q, want %q", got, tc.want)
			}
		})
	}
}
