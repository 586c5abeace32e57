package action_test

import (
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/action"
)

func TestShellRunner_Run(t *testing.T) {
	tests := []struct {
		name     string
		in       action.Command
		want     string
		wantCode int
		wantErr  bool
	}{
		{name: "stdout", in: action.Command{Script: "echo hi"}, want: "hi\n"},
		{name: "positional args", in: action.Command{Script: `a=$0 b=$1 ; printf '%s|%s' "$a" "$b"`, Args: []string{"x y", "$(z)"}}, want: "x y|$(z)"},
		{name: "exit status", in: action.Command{Script: "exit 3"}, wantCode: 3, wantErr: true},
		{name: "not found", in: action.Command{Script: "/nonexistent/f2b-cmd"}, wantCode: 127, wantErr: true},
		{name: "stdin", in: action.Command{Script: "wc -l", Stdin: strings.Repeat("add element x\n", 200000)}, want: "200000\n"},
		{name: "no stdin reads nothing", in: action.Command{Script: "wc -c"}, want: "0\n"},
	}
	r := action.NewShellRunner(action.ShellOptions{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Run(t.Context(), tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			var ee *action.ExitError
			if tt.wantErr && (!errors.As(err, &ee) || ee.Code != tt.wantCode) {
				t.Errorf("err = %#v, want exit %d", err, tt.wantCode)
			}
			if string(res.Stdout) != tt.want || res.ExitCode != tt.wantCode {
				t.Errorf("stdout %q code %d, want %q %d", res.Stdout, res.ExitCode, tt.want, tt.wantCode)
			}
		})
	}
}

// TestShellRunner_TimeoutKillsGroup checks that a timed-out command's whole
// process group goes away, including a background grandchild.
func TestShellRunner_TimeoutKillsGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	r := action.NewShellRunner(action.ShellOptions{})
	script := `trap '' TERM; sleep 30 & echo $! > ` + pidFile + `; wait`
	_, err := r.Run(t.Context(), action.Command{Script: script, Timeout: 300 * time.Millisecond})
	if !errors.Is(err, action.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid := strings.TrimSpace(string(b))
	// The grandchild got SIGKILL with its group; the kernel may still be
	// tearing it down, so allow it a moment to become a zombie or vanish.
	deadline := time.Now().Add(5 * time.Second)
	for {
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("grandchild %s still running: %s", pid, stat)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestInjection renders log-derived values through a real /bin/sh and
// checks that none of them is executed.
func TestInjection(t *testing.T) {
	payloads := []string{
		"$(touch PWNED)", "`touch PWNED`", "x; touch PWNED", "x && touch PWNED",
		"x | touch PWNED", "'; touch PWNED; '", "\"; touch PWNED; \"", "x\ntouch PWNED",
		"x\rtouch PWNED", "$(touch${IFS}PWNED)", "x > PWNED", "<(touch PWNED)", "\\\"; touch PWNED #",
		"{touch,PWNED}", "x || touch PWNED", "~/PWNED*",
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	r := action.NewShellRunner(action.ShellOptions{Dir: dir})
	a, err := action.New(action.Options{
		Jail: "j", Name: "echo", Runner: r,
		Props: []action.Prop{{Name: "actionban", Value: `printf '%s\n' "<ip>" "<matches>" "<F-USER>" <F-HOST> >> ` + out}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range payloads {
		tk := &action.Ticket{
			IP:      netip.MustParseAddr("198.51.100.7"),
			Matches: []string{"sshd: Invalid user " + p},
			Data:    map[string]string{"user": p, "host": p},
		}
		if err := a.Ban(t.Context(), tk); err != nil {
			t.Errorf("ban with %q: %v", p, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
			t.Fatalf("payload %q executed", p)
		}
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range payloads {
		if !strings.Contains(string(got), "Invalid user "+p) {
			t.Errorf("output lacks payload %q verbatim", p)
		}
	}
}

func TestShellRunner_Umask(t *testing.T) {
	tests := []struct {
		name string
		in   action.ShellOptions
		want string
	}{
		{name: "fail2ban umask", in: action.ShellOptions{}, want: "0077"},
		{name: "keep", in: action.ShellOptions{KeepUmask: true}, want: umaskOf(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := action.NewShellRunner(tt.in).Run(t.Context(), action.Command{Script: "umask"})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(string(res.Stdout)); got != tt.want {
				t.Errorf("umask = %q, want %q", got, tt.want)
			}
		})
	}
}

func umaskOf(t *testing.T) string {
	out, err := exec.Command("/bin/sh", "-c", "umask").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// TestShellRunner_Serialized runs commands from several goroutines; each
// holds a directory "lock" while running, so any overlap makes one fail.
func TestShellRunner_Serialized(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "held")
	r := action.NewShellRunner(action.ShellOptions{})
	script := `mkdir "$0" || exit 9; sleep 0.02; rmdir "$0"`
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := r.Run(t.Context(), action.Command{Script: script, Args: []string{dir}})
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Errorf("overlapping command: %v", err)
		}
	}
}
