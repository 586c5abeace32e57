package action

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// killGrace is how long a timed-out command's process group gets between
// SIGTERM and SIGKILL (fail2ban waits 0.2 s).
const killGrace = 200 * time.Millisecond

// ShellOptions configures a ShellRunner.
type ShellOptions struct {
	// Shell is the shell binary; empty means /bin/sh.
	Shell string
	// Logger receives command output: DEBUG on success, ERROR on failure.
	Logger *slog.Logger
	// Env is the environment; nil inherits the server's.
	Env []string
	// Dir is the working directory; empty inherits it.
	Dir string
	// Prefix is an argv put in front of the shell, e.g.
	// ["ip", "netns", "exec", "ns1"] to run every command in a namespace.
	Prefix []string
	// KeepUmask runs commands with the server's umask instead of 077
	// (fail2ban runs every command with umask 077).
	KeepUmask bool
}

// ShellRunner runs commands with `/bin/sh -c` in their own process group.
// One ShellRunner serializes all its commands, as fail2ban's global command
// lock does; share one per server.
type ShellRunner struct {
	opts ShellOptions
	log  *slog.Logger
	mu   sync.Mutex
}

// NewShellRunner returns a runner using opts.
func NewShellRunner(opts ShellOptions) *ShellRunner {
	if opts.Shell == "" {
		opts.Shell = "/bin/sh"
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &ShellRunner{opts: opts, log: log}
}

// Run implements Runner.
func (r *ShellRunner) Run(ctx context.Context, c Command) (Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	res, err := r.run(ctx, c)
	r.report(c, res, err)
	return res, err
}

func (r *ShellRunner) run(ctx context.Context, c Command) (Result, error) {
	var stdout, stderr bytes.Buffer
	script := c.Script
	if !r.opts.KeepUmask {
		// Go cannot set a child's umask, so the shell does it first; the
		// positional parameters ($0, $1, …) are unaffected.
		script = "umask 077\n" + script
	}
	argv := append(append(append([]string{}, r.opts.Prefix...), r.opts.Shell, "-c", script), c.Args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if c.Stdin != "" {
		cmd.Stdin = strings.NewReader(c.Stdin)
	}
	cmd.Env, cmd.Dir = r.opts.Env, r.opts.Dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	// Grandchildren holding the pipes open must not block Wait forever.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return Result{ExitCode: -1}, fmt.Errorf("starting %q: %w", r.opts.Shell, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	timedOut := false
	select {
	case err = <-done:
	case <-ctx.Done():
		timedOut = true
		err = killGroup(cmd.Process.Pid, done)
	}
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), ExitCode: -1}
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	switch {
	case timedOut:
		return res, fmt.Errorf("%w after %v: %w", ErrTimeout, c.Timeout, ctx.Err())
	case err == nil:
		return res, nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return res, &ExitError{Code: res.ExitCode}
	}
	return res, err
}

// killGroup terminates the process group of pid: SIGTERM, then SIGKILL
// after killGrace if it is still running. It returns Wait's result.
func killGroup(pid int, done <-chan error) error {
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	t := time.NewTimer(killGrace)
	defer t.Stop()
	select {
	case err := <-done:
		_ = syscall.Kill(-pid, syscall.SIGKILL) // stragglers in the group
		return err
	case <-t.C:
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	return <-done
}

// report logs a finished command the way fail2ban does: output at DEBUG on
// success, at ERROR with the status on failure.
func (r *ShellRunner) report(c Command, res Result, err error) {
	attrs := []any{logKeyCmd, c.Script, logKeyArgs, c.Args}
	if len(res.Stdout) > 0 {
		attrs = append(attrs, logKeyStdout, string(res.Stdout))
	}
	if len(res.Stderr) > 0 {
		attrs = append(attrs, logKeyStderr, string(res.Stderr))
	}
	if err == nil {
		r.log.Debug("command succeeded", attrs...)
		return
	}
	attrs = append(attrs, logKeyErr, err)
	if res.ExitCode == 127 {
		attrs = append(attrs, "hint", "command not found: check PATH")
	}
	r.log.Error("command failed", attrs...)
}
