package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/f2b/f2b/pkg/config"
	"github.com/f2b/f2b/pkg/server"
	"github.com/f2b/f2b/pkg/version"
)

// daemonEnv marks the re-executed background child.
const daemonEnv = "F2B_DAEMON_CHILD"

// serve runs the server: in the background by default (the parent returns
// once the socket answers), in the foreground with -f.
func serve(o *options) int {
	restoreGC := tightenGC()
	var cfg *config.Config
	early := map[string]string{}
	if !o.async {
		c, err := config.Load(config.Options{Dir: o.conf, Main: mainOptions(o)})
		if c == nil || c.Stream() == nil {
			fmt.Fprintln(os.Stderr, "ERROR: Failed during configuration:", err)
			return 255
		}
		if o.test && !c.TestOK() {
			for _, e := range c.Errors() {
				fmt.Fprintln(os.Stderr, e.Error())
			}
			fmt.Fprintln(os.Stderr, "ERROR: test configuration failed")
			return 255
		}
		cfg, early = c, c.Early()
	}
	pick := func(flag, key, def string) string {
		switch {
		case flag != "":
			return flag
		case early[key] != "":
			return early[key]
		}
		return def
	}
	sock := pick(o.socket, "socket", "/var/run/fail2ban/fail2ban.sock")
	pidfile := pick(o.pidfile, "pidfile", "/var/run/fail2ban/fail2ban.pid")
	logtarget := pick(o.logtarget, "logtarget", "STDERR")
	loglevel := pick(o.loglevel, "loglevel", "INFO")

	if !o.foreground && os.Getenv(daemonEnv) == "" {
		return daemonize(sock, o)
	}

	logs, err := newLogSetup(logtarget, loglevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		return 255
	}
	defer logs.Close()
	log := logs.logger.With("logger", "fail2ban.server")
	defer startProfile(log)()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGUSR1, syscall.SIGHUP)
	defer signal.Stop(sigs)
	srv := server.New(server.Options{
		Socket:  sock,
		Pidfile: pidfile,
		Force:   o.force,
		Logger:  logs.logger,
		Logging: logs,
		OnStop:  cancel,
	})
	log.Info("Starting Fail2ban v" + version.Fail2banVersion + " (f2b " + version.Version + ")")
	ln, err := server.Listen(sock, o.force)
	if err != nil {
		if errors.Is(err, server.ErrAlreadyRunning) {
			log.Error("Fail2ban seems to be already running")
		}
		log.Error("Could not start server: " + err.Error())
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		return 255
	}
	writePidfile(pidfile, log)
	defer os.Remove(pidfile)

	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(ctx, ln) }()

	if cfg != nil {
		missing := cfg.MissingLogs()
		for _, j := range missing {
			log.Error("Have not found any log file for " + j + " jail; the jail is not started")
		}
		if err := srv.ApplyStream(ctx, server.SkipJails(cfg.Stream(), missing...)); err != nil {
			log.Error("applying the configuration failed: " + err.Error())
		}
	}
	restoreGC()
	go trimWhenSettled(ctx, log)
	handleSignals(ctx, sigs, cancel, srv, o, log)
	<-ctx.Done()
	writeMemProfile(log)
	log.Info("Shutdown in progress...")
	stopCtx, stop := context.WithTimeout(context.Background(), 2*time.Minute)
	defer stop()
	srv.Shutdown(stopCtx)
	ln.Close()
	<-serveDone
	log.Info("Exiting Fail2ban")
	return 0
}

// handleSignals: SIGTERM/SIGINT stop, SIGUSR1 reopens the log file, SIGHUP
// reloads the configuration (a second SIGTERM skips the slow cleanup).
func handleSignals(ctx context.Context, ch <-chan os.Signal, cancel context.CancelFunc, srv *server.Server, o *options, log *slog.Logger) {
	go func() {
		stopping := false
		for sig := range ch {
			switch sig {
			case syscall.SIGUSR1:
				srv.Dispatch(ctx, []any{"flushlogs"})
			case syscall.SIGHUP:
				reload(ctx, srv, o, log)
			default:
				if stopping {
					log.Error("second signal: exiting without cleanup")
					os.Exit(1)
				}
				stopping = true
				cancel()
			}
		}
	}()
}

func reload(ctx context.Context, srv *server.Server, o *options, log *slog.Logger) {
	defer tightenGC()()
	c, err := config.Load(config.Options{Dir: o.conf, Main: mainOptions(o)})
	if c == nil || c.Stream() == nil {
		log.Error("reload: configuration failed", "err", err)
		return
	}
	stream := make([]any, len(c.Stream()))
	for i, cmd := range c.Stream() {
		stream[i] = cmd
	}
	if _, err := srv.Dispatch(ctx, []any{"reload", "--all", []any{}, stream}); err != nil {
		log.Error("reload failed: " + err.Error())
		return
	}
	log.Info("Reload finished.")
	trimFootprint(log) // the reload compiled every filter again
}

func mainOptions(o *options) map[string]string {
	m := map[string]string{}
	for k, v := range map[string]string{"socket": o.socket, "pidfile": o.pidfile,
		"loglevel": o.loglevel, "logtarget": o.logtarget, "syslogsocket": o.syslogsocket} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

func writePidfile(path string, log *slog.Logger) {
	if path == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err == nil {
		err = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
		if err == nil {
			return
		}
	}
	log.Error("Unable to save pidfile " + path)
}

// daemonize re-executes this binary detached (new session, stdio on
// /dev/null) and waits until its socket answers, as fail2ban-server -b
// returns once the server is up.
func daemonize(sock string, o *options) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		return 255
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		return 255
	}
	defer devnull.Close()
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), daemonEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, devnull
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		return 255
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	timeout := 30 * time.Second
	if o.timeout != "" {
		if f, err := config.Str2Seconds(o.timeout); err == nil {
			timeout = time.Duration(f * float64(time.Second))
		}
	}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			fmt.Fprintln(os.Stderr, "ERROR: server exited during start")
			return 255
		default:
		}
		if c, err := net.DialTimeout("unix", sock, 100*time.Millisecond); err == nil {
			c.Close()
			return 0
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Fprintln(os.Stderr, "ERROR: server did not answer within", timeout)
	return 255
}

// asClient runs f2b-client (next to this binary, else on PATH) with the
// same arguments, as fail2ban-server does for client commands.
func asClient(args []string) int {
	exe, _ := os.Executable()
	client := filepath.Join(filepath.Dir(exe), "f2b-client")
	if _, err := os.Stat(client); err != nil {
		client = "f2b-client"
	}
	cmd := exec.Command(client, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		return 255
	}
	return 0
}
