package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/f2b/f2b/pkg/client"
)

// env is a run directory with a copied stock configuration and a server.
type env struct {
	o    options
	dir  string
	conf string
	sock string
	srv  *exec.Cmd
	out  bytes.Buffer
}

func newEnv(o options, jailLocal string, logs ...string) (*env, error) {
	dir, err := os.MkdirTemp("/tmp", "f2bbench-")
	if err != nil {
		return nil, err
	}
	e := &env{o: o, dir: dir, conf: filepath.Join(dir, "conf"), sock: filepath.Join(dir, "s.sock")}
	if err := copyTree(o.stock, e.conf); err != nil {
		return nil, err
	}
	files := map[string]string{
		"fail2ban.local":           fmt.Sprintf("[Definition]\nloglevel = NOTICE\nlogtarget = %[1]s/server.log\nsocket = %[2]s\npidfile = %[1]s/s.pid\ndbfile = %[3]s\n", dir, e.sock, o.dbfile),
		"action.d/bench-noop.conf": "[Definition]\nactionban =\nactionunban =\n",
		"action.d/bench-fifo.conf": "[Definition]\nactionban = echo <ip> >> " + dir + "/fifo\nactionunban =\n",
		"jail.local":               strings.ReplaceAll(jailLocal, "@DIR@", dir),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(e.conf, name), []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	for _, l := range logs {
		if err := os.WriteFile(filepath.Join(dir, l), nil, 0o644); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// copyTree copies the stock files without jail.d and fail2ban.d.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if dir := filepath.Dir(rel); dir == "jail.d" || dir == "fail2ban.d" || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// start runs the server in the foreground and waits for `jails` jails.
func (e *env) start(jails int) error {
	e.srv = exec.Command(e.o.server, "-c", e.conf, "-xf", "start")
	e.srv.Stdout, e.srv.Stderr = &e.out, &e.out
	if err := e.srv.Start(); err != nil {
		return err
	}
	want := fmt.Sprintf("Number of jail:\t%d", jails)
	return e.waitFor(60*time.Second, 50*time.Millisecond, func() (bool, error) {
		out, err := e.client("status")
		return err == nil && strings.Contains(out, want), nil
	})
}

// close stops the server and removes the run directory.
func (e *env) close() {
	if e.srv != nil && e.srv.Process != nil {
		e.srv.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { e.srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			e.srv.Process.Kill()
			<-done
		}
	}
	os.RemoveAll(e.dir)
}

func (e *env) client(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, e.o.client, append([]string{"-s", e.sock}, args...)...).CombinedOutput()
	return string(out), err
}

// waitFor polls cond every `every` until it holds or limit passes.
func (e *env) waitFor(limit, every time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(limit)
	for {
		ok, err := cond()
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %v; server output:\n%s", limit, e.out.String())
		}
		time.Sleep(every)
	}
}

var reTotalFailed = regexp.MustCompile(`Total failed:\s+(\d+)`)

// statusPoller asks one server for `status <jail>` over a single
// keep-alive connection, as fail2ban-client's interactive mode does. A
// poll through it costs both servers the same request and reply, without
// the start-up of a client process (~5 ms of CPU, which a tight poll
// loop would take from the server it measures on a two-core machine).
type statusPoller struct {
	c   *client.Client
	cmd []any
}

func (e *env) dialStatus(jail string) (*statusPoller, error) {
	c, err := client.Dial(context.Background(), client.Options{Socket: e.sock, Timeout: 120 * time.Second})
	if err != nil {
		return nil, err
	}
	return &statusPoller{c: c, cmd: []any{"status", jail}}, nil
}

// totalFailed renders the reply as f2b-client prints it and reads its
// Total failed.
func (p *statusPoller) totalFailed() (int, error) {
	out := client.Run(context.Background(), p.c, p.cmd)
	if out.Code != client.ExitOK {
		return 0, fmt.Errorf("status: %s %s", out.Stdout, strings.Join(out.Errors, "; "))
	}
	return parseTotalFailed(p.cmd[1].(string), out.Stdout)
}

func (p *statusPoller) close() { p.c.Close() }

func parseTotalFailed(jail, out string) (int, error) {
	m := reTotalFailed.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("status %s: no Total failed in %q", jail, out)
	}
	return strconv.Atoi(m[1])
}

// rss returns the server's VmRSS in bytes.
func (e *env) rss() (int64, error) { return e.procStatus("VmRSS:") }

// cpuSeconds is the server's user plus system CPU time so far, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).
func (e *env) cpuSeconds() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", e.srv.Process.Pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; fields restart after ')'.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", e.srv.Process.Pid)
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad /proc/%d/stat: %q", e.srv.Process.Pid, b)
	}
	return (ut + st) / 100, nil
}

// procStatus reads a kB field of /proc/PID/status in bytes.
func (e *env) procStatus(field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", e.srv.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == field {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no %s for pid %d", field, e.srv.Process.Pid)
}

func (e *env) appendFile(name string, data []byte) error {
	f, err := os.OpenFile(filepath.Join(e.dir, name), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(data)
	return err
}
