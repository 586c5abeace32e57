package regextest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Exit statuses of fail2ban-regex.
const (
	ExitOK    = 0
	ExitUsage = 2   // optparse errors
	ExitError = 255 // everything fail2ban-regex reports itself
	// ExitUncaught is Python's status for an uncaught exception, which
	// fail2ban-regex 1.0.2 lets through for an invalid -l value.
	ExitUncaught = 1
)

// validLogLevel is str2LogLevel's check: digits or a level name of
// Python's logging module (plus fail2ban's own levels).
func validLogLevel(s string) bool {
	if s != "" && strings.Trim(s, "0123456789") == "" {
		return true
	}
	switch strings.ToUpper(s) {
	case "CRITICAL", "FATAL", "ERROR", "WARN", "WARNING", "NOTICE", "INFO", "DEBUG", "NOTSET", "MSG", "TRACEDEBUG", "HEAVYDEBUG":
		return true
	}
	return false
}

// Main runs fail2ban-regex with args (without the program name) and
// returns its exit status.
func Main(ctx context.Context, args []string, env Env) int {
	env.setDefaults()
	o, err := ParseArgs(args)
	if err != nil {
		var ue *UsageError
		if errors.As(err, &ue) {
			fmt.Fprintf(env.Stderr, "Usage: %s\n\n%s: error: %s\n", usageLine(env.Prog), filepath.Base(env.Prog), ue.Msg)
			return ExitUsage
		}
		return ExitError
	}
	switch {
	case o.Help:
		printHelp(env.Stdout, env.Prog)
		return ExitOK
	case o.ShortVersion:
		fmt.Fprintln(env.Stdout, Version)
		return ExitOK
	case o.Version:
		fmt.Fprintf(env.Stdout, "%s %s\n", env.Prog, Version)
		return ExitOK
	}
	if errs := o.Validate(); len(errs) > 0 {
		printHelp(env.Stdout, env.Prog)
		fmt.Fprintf(env.Stderr, "\n%s\n", strings.Join(errs, "\n"))
		return ExitError
	}
	return Run(ctx, o, env)
}

// Run tests the filter given by o against its log and prints the report
// (or the -o output) to env.Stdout.
func Run(ctx context.Context, o Options, env Env) int {
	env.setDefaults()
	w := bufio.NewWriterSize(env.Stdout, 64<<10)
	defer w.Flush()
	if o.Out == "" {
		io.WriteString(w, "\nRunning tests\n=============\n\n")
	}
	if !validLogLevel(o.LogLevel) {
		// fail2ban-regex dies here with an uncaught ValueError.
		w.Flush()
		fmt.Fprintf(env.Stderr, "ValueError: Invalid log level %s\n", pyRepr(o.LogLevel))
		return ExitUncaught
	}
	t, err := newTester(o, env, w)
	if err == nil {
		err = t.start(ctx)
	}
	if err != nil {
		var pe *printedError
		if !errors.As(err, &pe) {
			fmt.Fprintf(w, "ERROR: %s\n", err)
		}
		return ExitError
	}
	t.printStats()
	return ExitOK
}

// printedError is a failure whose message is already on stdout.
type printedError struct{ err error }

func (e *printedError) Error() string { return e.err.Error() }
func (e *printedError) Unwrap() error { return e.err }
