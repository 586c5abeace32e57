package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/f2b/f2b/pkg/pyval"
)

// Output is what fail2ban-client shows for one command: the text for
// stdout, the messages it logs (the caller adds its log prefix and writes
// them to stderr), and the exit status.
type Output struct {
	Stdout   string   // including the final newline, as print() writes it
	Errors   []string // messages logged at ERROR level
	Warnings []string // messages logged at WARNING level
	Code     int      // ExitOK or ExitError
}

// Run sends one command on c and renders the reply like fail2ban-client
// (fail2banclient.py __processCmd): (0, v) prints Beautify(v); (1, exc)
// logs "NOK: <args>" and prints BeautifyError(exc) with status 255.
func Run(ctx context.Context, c *Client, cmd []any) Output {
	v, err := c.Send(ctx, cmd)
	return Render(cmd, v, err)
}

// Render turns the result of Send into fail2ban-client's output.
func Render(cmd []any, v any, err error) Output {
	if se, ok := errors.AsType[*ServerError](err); ok {
		return Output{Stdout: BeautifyError(se.Exc) + "\n", Errors: []string{se.NOK()}, Code: ExitError}
	}
	if re, ok := errors.AsType[*ReplyError](err); ok {
		return Output{Errors: []string{replyFailure(re.Reply)}, Code: ExitError}
	}
	if err != nil {
		return Output{Errors: []string{dialMessage(err)}, Code: ExitError}
	}
	text, berr := Beautify(cmd, v)
	out := Output{Stdout: text + "\n", Code: ExitOK}
	if berr != nil {
		out.Warnings = []string{"Beautifier error. Please report the error"}
		out.Errors = []string{fmt.Sprintf("Beautify %s with %s failed", pyval.Repr(v), pyval.Repr(cmd))}
	}
	return out
}

// replyFailure is what the Python client logs for a reply that is not a
// (code, value) pair: for the bare "ERROR: …" string it indexes ret[0]
// ('E' != 0) and then fails on ret[1].args.
func replyFailure(reply any) string {
	if _, ok := reply.(string); ok {
		return "'str' object has no attribute 'args'"
	}
	return fmt.Sprintf("unexpected reply %s", pyval.Repr(reply))
}

func dialMessage(err error) string {
	if de, ok := errors.AsType[*DialError](err); ok {
		return de.Error()
	}
	return err.Error()
}
