package protocol

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

// attemptMsg is the failure message the clients send; shell and quote
// characters and non-ASCII text must arrive unchanged.
const attemptMsg = "Incorrect token ' \" $(id) \\ ünï € 𝄞"

// miniServer answers the few commands the real-client tests send, through
// Conn, the way f2b-server's dispatcher will use it.
func miniServer(t *testing.T) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "f2b.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { serveMini(c) })
		}
	})
	return sock
}

func serveMini(c net.Conn) {
	defer c.Close()
	conn := NewConn(c, ConnOptions{})
	for {
		req, err := conn.ReadRequest()
		if _, ok := errors.AsType[*LoadError](err); ok {
			conn.WriteLoadError(err)
			continue
		}
		if err != nil {
			return
		}
		answerMini(conn, req.([]any))
	}
}

func answerMini(conn *Conn, req []any) {
	unknown := func(jail any) {
		conn.WriteException(&pyval.Exception{Module: "fail2ban.exceptions", Name: "UnknownJailException", Args: []any{jail}})
	}
	switch {
	case pyval.Equal(req, []any{"ping"}):
		conn.WriteResult("pong")
	case len(req) >= 5 && req[0] == "set" && req[2] == "attempt":
		if req[1] != "webapp" {
			unknown(req[1])
			return
		}
		if !pyval.Equal(req[3:], []any{"192.0.2.2", attemptMsg}) {
			conn.WriteException(pyval.NewException("ValueError", "decoded "+pyval.Repr(req)))
			return
		}
		conn.WriteResult(int64(1))
	case pyval.Equal(req, []any{"get", "webapp", "banned"}):
		conn.WriteResult([]any{IPAddr("192.0.2.1"), IPAddr("2001:db8::1")})
	case pyval.Equal(req, []any{"bare"}):
		conn.WriteReply("ERROR: invalid load key, 'n'.")
	case len(req) == 2 && req[0] == "status":
		unknown(req[1])
	default:
		conn.WriteException(pyval.NewException("Exception", "Invalid command"))
	}
}

func needTool(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs %s: %v", path, err)
		}
		t.Skipf("%s not installed", path)
	}
}

// TestRealClients has the real fail2ban-client and the PHP example client
// talk to a server built on Conn.
func TestRealClients(t *testing.T) {
	sock := miniServer(t)
	msg := attemptMsg
	tests := []struct {
		name     string
		tool     string
		in       []string
		want     string
		wantExit int
		stderr   string
	}{
		{name: "bare error reply", tool: "/usr/bin/fail2ban-client", in: []string{"-s", sock, "bare"}, want: "", wantExit: 255, stderr: "ERROR   'str' object has no attribute 'args'\n"},
		{name: "ping", tool: "/usr/bin/fail2ban-client", in: []string{"-s", sock, "ping"}, want: "Server replied: pong\n"},
		{name: "banned ips", tool: "/usr/bin/fail2ban-client", in: []string{"-s", sock, "get", "webapp", "banned"}, want: "['192.0.2.1', '2001:db8::1']\n"},
		{name: "attempt", tool: "/usr/bin/fail2ban-client", in: []string{"-s", sock, "set", "webapp", "attempt", "192.0.2.2", msg}, want: "1\n"},
		{name: "unknown jail", tool: "/usr/bin/fail2ban-client", in: []string{"-s", sock, "status", "nojail"}, want: "Sorry but the jail 'nojail' does not exist\n", wantExit: 255, stderr: "ERROR   NOK: ('nojail',)\n"},
		{name: "invalid", tool: "/usr/bin/fail2ban-client", in: []string{"-s", sock, "foo", "bar"}, want: "Invalid command\n", wantExit: 255, stderr: "ERROR   NOK: ('Invalid command',)\n"},
		{name: "php proto2", tool: "/usr/bin/php", in: []string{"testdata/attempt.php", sock, "webapp", "192.0.2.2", msg}, want: "OK: 1\n"},
		{name: "php proto0", tool: "/usr/bin/php", in: []string{"testdata/attempt.php", "-0", sock, "webapp", "192.0.2.2", msg}, want: "OK: 1\n"},
		{name: "php unknown jail", tool: "/usr/bin/php", in: []string{"testdata/attempt.php", sock, "nojail", "192.0.2.2", msg}, want: "FAILED: fail2ban.exceptions.UnknownJailException: nojail\n", wantExit: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			needTool(t, tc.tool)
			cmd := exec.Command(tc.tool, tc.in...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			code := 0
			if ee, ok := errors.AsType[*exec.ExitError](err); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q, want suffix %q", stderr.String(), tc.stderr)
			}
			if string(out) != tc.want || code != tc.wantExit {
				t.Fatalf("%s printed %q exit %d, want %q exit %d\nstderr: %s", tc.tool, out, code, tc.want, tc.wantExit, stderr.String())
			}
		})
	}
}
