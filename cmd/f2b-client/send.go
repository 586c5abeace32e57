package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/f2b/f2b/pkg/client"
	"github.com/f2b/f2b/pkg/config"
	"github.com/f2b/f2b/pkg/pyval"
)

func init() { sendHook = send }

// send runs the command words against the server, as fail2ban-client does:
// start, stop, restart and reload are handled on the client side; every
// other command is sent as the list of its words.
func send(cmd *cobra.Command, f *flags, args []string) error {
	ctx := context.Background()
	if f.interactive {
		return interactive(ctx, cmd, f)
	}
	switch {
	case len(args) == 1 && args[0] == "start":
		return f.start(ctx, cmd)
	case len(args) == 1 && args[0] == "restart":
		if err := f.sendPrint(ctx, cmd, []string{"stop"}); err != nil {
			return err
		}
		wctx, cancel := context.WithTimeout(ctx, f.waitTimeout())
		defer cancel()
		client.Wait(wctx, client.WaitOptions{Client: client.Options{Socket: f.sock()}, Alive: false})
		return f.start(ctx, cmd)
	case args[0] == "restart":
		return f.reload(ctx, cmd, append([]string{"--restart"}, args[1:]...))
	case args[0] == "reload":
		return f.reload(ctx, cmd, args[1:])
	}
	return f.sendPrint(ctx, cmd, args)
}

// early reads the five early options (socket, pidfile, …) from the command
// line or fail2ban.conf.
func (f *flags) early() map[string]string {
	m := map[string]string{}
	if c, _ := config.Load(config.Options{Dir: f.conf, Main: f.mainOptions()}); c != nil {
		for k, v := range c.Early() {
			m[k] = v
		}
	}
	for k, v := range f.mainOptions() {
		m[k] = v
	}
	return m
}

func (f *flags) sock() string {
	if f.socket != "" {
		return f.socket
	}
	if s := f.early()["socket"]; s != "" {
		return s
	}
	return client.DefaultSocket
}

func (f *flags) waitTimeout() time.Duration {
	if f.timeout != "" {
		if s, err := config.Str2Seconds(f.timeout); err == nil {
			return time.Duration(s * float64(time.Second))
		}
	}
	return 30 * time.Second
}

// sendPrint sends one command and prints the reply like fail2ban-client.
func (f *flags) sendPrint(ctx context.Context, cmd *cobra.Command, args []string) error {
	words := make([]any, len(args))
	for i, a := range args {
		words[i] = a
	}
	timeout := f.waitTimeout()
	if args[0] == "ping" && len(args) > 1 {
		if s, err := config.Str2Seconds(args[1]); err == nil {
			timeout = time.Duration(s * float64(time.Second))
		}
	}
	c, err := client.Dial(ctx, client.Options{Socket: f.sock(), Timeout: timeout})
	if err != nil {
		return f.fail(cmd, err)
	}
	defer c.Close()
	return f.exchange(ctx, cmd, c, words)
}

func (f *flags) exchange(ctx context.Context, cmd *cobra.Command, c *client.Client, words []any) error {
	v, err := c.Send(ctx, words)
	if err != nil {
		return f.fail(cmd, err)
	}
	out, berr := client.Beautify(words, v)
	if berr != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   Beautifier error. Please report the error")
	}
	fmt.Fprintln(cmd.OutOrStdout(), out)
	return nil
}

// fail prints an error the way fail2ban-client does and returns exit 255.
func (f *flags) fail(cmd *cobra.Command, err error) error {
	var se *client.ServerError
	var de *client.DialError
	switch {
	case errors.As(err, &se):
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   "+se.NOK())
		fmt.Fprintln(cmd.OutOrStdout(), client.BeautifyError(se.Exc))
	case errors.As(err, &de):
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   "+de.Error())
	default:
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   "+err.Error())
	}
	return &exitError{code: exitFailure}
}

// start launches f2b-server in the background and configures it with the
// stream read here, as fail2ban-client start does.
func (f *flags) start(ctx context.Context, cmd *cobra.Command) error {
	sock := f.sock()
	if client.Ping(ctx, client.Options{Socket: sock}, 100*time.Millisecond) {
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   Server already running")
		return &exitError{code: exitFailure}
	}
	c, _ := config.Load(config.Options{Dir: f.conf, Main: f.mainOptions()})
	if c == nil || c.Stream() == nil || !c.OK() {
		if c != nil {
			reportErrors(cmd, c)
		}
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   Failed during configuration")
		return &exitError{code: exitFailure}
	}
	if _, err := os.Stat(sock); err == nil && !f.force {
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   Fail2ban seems to be in unexpected state (not running but the socket exists)")
		return &exitError{code: exitFailure}
	}
	early := c.Early()
	argv := []string{"--async", "-s", sock}
	if p := pick(f.pidfile, early["pidfile"]); p != "" {
		argv = append(argv, "-p", p)
	}
	if f.force {
		argv = append(argv, "-x")
	}
	for _, k := range []string{"loglevel", "logtarget", "syslogsocket"} {
		if v := early[k]; v != "" {
			argv = append(argv, "--"+k, v)
		}
	}
	if f.foreground {
		argv = append(argv, "-f")
	} else {
		argv = append(argv, "-b")
	}
	srv := exec.Command(serverBinary(), argv...)
	srv.Stdout, srv.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
	if err := srv.Start(); err != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   Could not start server:", err)
		return &exitError{code: exitFailure}
	}
	go srv.Wait()
	wctx, cancel := context.WithTimeout(ctx, f.waitTimeout())
	defer cancel()
	if err := client.Wait(wctx, client.WaitOptions{Client: client.Options{Socket: sock}, Alive: true}); err != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   Could not find server")
		return &exitError{code: exitFailure}
	}
	cl, err := client.Dial(ctx, client.Options{Socket: sock})
	if err != nil {
		return f.fail(cmd, err)
	}
	defer cl.Close()
	if _, err := cl.Send(ctx, []any{"server-stream", streamValue(c.Stream())}); err != nil {
		return f.fail(cmd, err)
	}
	return f.exchange(ctx, cmd, cl, []any{"server-status"})
}

// reload is `reload [--restart] [--unban] [--if-exists] [--all|<JAIL>]`.
func (f *flags) reload(ctx context.Context, cmd *cobra.Command, args []string) error {
	var opts []any
	name := "--all"
	for _, a := range args {
		switch a {
		case "--restart", "--unban", "--if-exists":
			opts = append(opts, a)
		case "--all":
		default:
			name = a
		}
	}
	if opts == nil {
		opts = []any{}
	}
	sock := f.sock()
	cl, err := client.Dial(ctx, client.Options{Socket: sock})
	if err != nil {
		return f.fail(cmd, err)
	}
	defer cl.Close()
	if _, err := cl.Send(ctx, []any{"ping"}); err != nil {
		return f.fail(cmd, err)
	}
	lo := config.Options{Dir: f.conf, Main: f.mainOptions()}
	if name != "--all" {
		lo.Jail = name
	}
	c, _ := config.Load(lo)
	if c == nil || c.Stream() == nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR   Failed during configuration")
		return &exitError{code: exitFailure}
	}
	if _, err := cl.Send(ctx, []any{"reload", name, opts, streamValue(c.Stream())}); err != nil {
		return f.fail(cmd, err)
	}
	fmt.Fprintln(cmd.OutOrStdout(), "OK")
	return nil
}

func streamValue(s [][]any) []any {
	out := make([]any, len(s))
	for i, c := range s {
		out[i] = c
	}
	return out
}

func pick(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// serverBinary is f2b-server next to this binary, else on PATH.
func serverBinary() string {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "f2b-server")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "f2b-server"
}

// interactive is -i: a `fail2ban> ` prompt over one keep-alive connection.
func interactive(ctx context.Context, cmd *cobra.Command, f *flags) error {
	out := cmd.OutOrStdout()
	in := bufio.NewScanner(cmd.InOrStdin())
	for {
		fmt.Fprint(out, "fail2ban> ")
		if !in.Scan() {
			fmt.Fprintln(out)
			return nil
		}
		line := strings.TrimSpace(in.Text())
		switch line {
		case "":
			continue
		case "exit", "quit":
			return nil
		case "help":
			printUsage(out)
			continue
		}
		words, err := shellSplit(line)
		if err != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), "ERROR  ", err)
			continue
		}
		send(cmd, &flags{conf: f.conf, socket: f.socket, timeout: f.timeout}, words)
	}
}

// shellSplit splits a command line like Python's shlex.split.
func shellSplit(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	in, q := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q == '\'':
			if c == '\'' {
				q = 0
			} else {
				cur.WriteByte(c)
			}
		case q == '"':
			switch {
			case c == '"':
				q = 0
			case c == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`+"`", s[i+1]) >= 0:
				i++
				cur.WriteByte(s[i])
			default:
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			q, in = c, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			in = true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if q != 0 {
		return nil, errors.New("No closing quotation")
	}
	if in {
		out = append(out, cur.String())
	}
	return out, nil
}

var _ io.Writer = os.Stdout
var _ = pyval.Repr
