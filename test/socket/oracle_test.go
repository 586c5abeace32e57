package socket

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/f2b/f2b/internal/loadgen"
	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// startFail2ban runs the real fail2ban-server in the foreground on e.
func (e *env) startFail2ban(t *testing.T) {
	t.Helper()
	_, err := os.Stat("/usr/bin/fail2ban-server")
	need(t, err == nil, "fail2ban-server not installed (scripts/install-test-deps.sh installs it)")
	out := &syncBuffer{}
	cmd := exec.Command("/usr/bin/fail2ban-server", "-c", e.conf, "-xf", "start")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	if err := loadgen.Wait(ctx, e.sock, []any{"status", jailName}); err != nil {
		t.Fatalf("fail2ban-server did not come up: %v\n%s", err, out)
	}
}

// TestBadInput_SameAsFail2ban sends the safe bad inputs (never the
// malicious pickles: CPython would run them) to the real fail2ban-server
// and checks it answers exactly what badInputs claims; where f2b
// deliberately differs (caps), both replies are logged.
func TestBadInput_SameAsFail2ban(t *testing.T) {
	e := newEnv(t)
	e.startFail2ban(t)
	rc := e.dial()
	for _, tt := range badInputs(t) {
		t.Run(tt.name, func(t *testing.T) {
			rc.send(append(append([]byte(nil), tt.in...), protocol.End...))
			v, err := rc.reply()
			if errors.Is(err, errHugeReply) && tt.want == "" {
				// CPython keeps the sharing when it pickles the echo.
				t.Logf("fail2ban-server echoes the shared structure: %v", err)
				rc.wantPing()
				return
			}
			if err != nil {
				t.Fatalf("no reply from fail2ban-server: %v", err)
			}
			got := pyval.Repr(v)
			switch {
			case tt.want != "" && got != tt.want:
				t.Errorf("fail2ban-server answers %.300s, table says %s", got, tt.want)
			case tt.want == "":
				t.Logf("fail2ban-server answers %.200s (f2b: any error reply)", got)
			}
			rc.wantPing()
		})
	}
}
