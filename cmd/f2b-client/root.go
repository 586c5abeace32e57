package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"
)

// exitError carries fail2ban-client's exit status (255 for every failure).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

const exitFailure = 255

// flags are fail2ban-client's command-line options (fail2bancmdline.py).
type flags struct {
	conf, socket, pidfile, pname        string
	loglevel, logtarget, syslogsocket   string
	dump, dumpPretty, test, interactive bool
	force, background, foreground       bool
	async, help, shortVersion, version  bool
	verbose, quiet                      int
	timeout, str2sec                    string
}

// run executes the client with args and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := newRootCmd(stdout, stderr)
	cmd.SetArgs(args)
	err := cmd.Execute()
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintln(stderr, "ERROR:", err)
		return exitFailure
	}
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	f := &flags{}
	cmd := &cobra.Command{
		Use:           "f2b-client [OPTIONS] <COMMAND>",
		Short:         "configure and control the f2b server (fail2ban-client compatible)",
		Args:          cobra.ArbitraryArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.dispatch(cmd, args)
		},
	}
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		printUsage(c.OutOrStdout())
		return &exitError{code: exitFailure}
	})
	cmd.SetHelpFunc(func(c *cobra.Command, _ []string) { printUsage(c.OutOrStdout()) })
	registerFlags(cmd, f)
	for _, add := range subcommands {
		cmd.AddCommand(add())
	}
	return cmd
}

func registerFlags(cmd *cobra.Command, f *flags) {
	fl := cmd.Flags()
	fl.SetInterspersed(false) // getopt: options end at the first command word
	fl.StringVarP(&f.conf, "conf", "c", "", "configuration directory")
	fl.StringVarP(&f.socket, "socket", "s", "", "socket path")
	fl.StringVarP(&f.pidfile, "pidfile", "p", "", "pidfile path")
	fl.StringVar(&f.pname, "pname", "", "name of the process (main thread)")
	fl.StringVar(&f.loglevel, "loglevel", "", "logging level")
	fl.StringVar(&f.logtarget, "logtarget", "", "logging target")
	fl.StringVar(&f.syslogsocket, "syslogsocket", "", "syslog socket path or auto")
	fl.BoolVarP(&f.dump, "dump", "d", false, "dump configuration")
	fl.BoolVar(&f.dumpPretty, "dp", false, "dump configuration, pretty-printed")
	fl.BoolVar(&f.dumpPretty, "dump-pretty", false, "dump configuration, pretty-printed")
	fl.BoolVarP(&f.test, "test", "t", false, "test configuration")
	fl.BoolVarP(&f.interactive, "interactive", "i", false, "interactive mode")
	fl.CountVarP(&f.verbose, "verbose", "v", "increase verbosity")
	fl.CountVarP(&f.quiet, "quiet", "q", "decrease verbosity")
	fl.BoolVarP(&f.force, "force", "x", false, "force execution (remove a stale socket)")
	fl.BoolVarP(&f.background, "background", "b", false, "start the server in background")
	fl.BoolVarP(&f.foreground, "foreground", "f", false, "start the server in foreground")
	fl.BoolVar(&f.async, "async", false, "start the server in async mode (internal)")
	fl.StringVar(&f.timeout, "timeout", "", "timeout to wait for the server")
	fl.StringVar(&f.str2sec, "str2sec", "", "convert a time abbreviation to seconds")
	fl.BoolVarP(&f.shortVersion, "short-version", "V", false, "print the short version")
	fl.BoolVar(&f.version, "version", false, "print the version")
	for _, hidden := range []string{"dump", "interactive", "verbose", "quiet", "force", "background", "foreground", "short-version"} {
		fl.Lookup(hidden).Hidden = true
	}
}

// dispatch runs the options in fail2ban-client's order: informational
// options, then -d/--dp/-t, then the command words.
func (f *flags) dispatch(cmd *cobra.Command, args []string) error {
	out := cmd.OutOrStdout()
	switch {
	case cmd.Flags().Changed("str2sec"):
		return str2sec(out, f.str2sec)
	case f.shortVersion || f.version:
		printVersion(out, f.shortVersion)
		return nil
	}
	if f.dump || f.dumpPretty || f.test {
		if f.dump && len(args) > 0 && regexDateHook != nil {
			return regexDateHook(cmd, f, args)
		}
		done, err := f.configCommand(cmd, args)
		if done || err != nil {
			return err
		}
	}
	if len(args) == 0 && !f.interactive {
		printUsage(out)
		return &exitError{code: exitFailure}
	}
	return runCommand(cmd, f, args)
}

// logger is the client's diagnostic logger: WARNING by default, -v/-q
// move it like fail2ban-client's verbosity.
func (f *flags) logger(w io.Writer) *slog.Logger {
	level := slog.LevelWarn
	switch v := 1 + f.verbose - f.quiet; {
	case v <= 0:
		level = slog.LevelError
	case v == 2:
		level = slog.LevelInfo
	case v >= 3:
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
