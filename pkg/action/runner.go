package action

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Command is a rendered shell command: Script is given to `/bin/sh -c` and
// Args become its positional parameters $0, $1, … Values from logs only
// ever appear in Args.
type Command struct {
	Script string
	Args   []string
	// Stdin, if not empty, is the command's standard input (a batch for
	// `nft -f -` or `ipset restore`, which would not fit in an argument).
	Stdin string
	// Timeout bounds the run; zero means no limit.
	Timeout time.Duration
}

// Runner executes a rendered command.
//
// Run must pass Script to a POSIX shell as `sh -c Script Args...` so that
// Args arrive as positional parameters ($0, $1, …) and never as script
// text; it must honour cmd.Timeout (if non-zero) and ctx, and return a
// non-nil error unless the command exited with status 0. The Result holds
// whatever output was captured, also on failure.
type Runner interface {
	Run(ctx context.Context, cmd Command) (Result, error)
}

// Result is the outcome of one command.
type Result struct {
	Stdout, Stderr []byte
	// ExitCode is the exit status, or -1 when the command was killed or
	// could not be started.
	ExitCode int
}

// ErrTimeout is returned (wrapped) when a command exceeded its timeout.
var ErrTimeout = errors.New("timed out")

// ExitError reports a non-zero exit status.
type ExitError struct {
	Code int
}

func (e *ExitError) Error() string {
	return fmt.Sprintf("command returned %d", e.Code)
}
