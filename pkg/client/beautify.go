package client

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// Beautify renders the value of a (0, value) reply to cmd exactly as
// fail2ban-client 1.0.2 prints it (fail2ban/client/beautifier.py). When the
// value has a shape the matching rule cannot handle, it returns the
// client's fallback text — repr of the partial message followed by repr
// of the value — with a non-nil error; the caller prints the text and logs
// "Beautifier error. Please report the error".
func Beautify(cmd []any, value any) (string, error) {
	b := &beautifier{cmd: cmd, value: value, msg: value}
	if err := b.run(); err != nil {
		return pyval.Repr(b.msg) + pyval.Repr(value), fmt.Errorf("beautifying reply to %s: %w", pyval.Repr(cmd), err)
	}
	return Str(b.msg), nil
}

// beautifier holds the command, the value and the message built so far
// (beautifier.py's inC, response and msg).
type beautifier struct {
	cmd   []any
	value any
	msg   any
}

var errIndex = errors.New("list index out of range")

// arg is inC[i] (IndexError when missing).
func (b *beautifier) arg(i int) (any, error) {
	if i >= len(b.cmd) {
		return nil, errIndex
	}
	return b.cmd[i], nil
}

func (b *beautifier) run() error {
	first, err := b.arg(0)
	if err != nil {
		return err
	}
	switch first {
	case "ping":
		return b.concat("Server replied: ", b.value)
	case "version":
		return nil
	case "start":
		b.msg = "Jail started"
	case "stop":
		b.stop()
	case "add":
		return b.concat("Added jail ", b.value)
	case "flushlogs":
		return b.concat("logs: ", b.value)
	case "echo":
		return b.join(" ", b.value)
	case "status":
		if len(b.cmd) > 1 {
			return b.jailStatus()
		}
		return b.serverStatus()
	default:
		return b.byArg1()
	}
	return nil
}

func (b *beautifier) stop() {
	if b.value != nil {
		return
	}
	if len(b.cmd) == 1 {
		b.msg = "Shutdown successful"
	} else {
		b.msg = "Jail stopped"
	}
}

// concat sets msg to prefix + v (v must be a str).
func (b *beautifier) concat(prefix string, v any) error {
	s, err := concat(prefix, v)
	if err == nil {
		b.msg = s
	}
	return err
}

// appendMsg does msg += s for a string msg.
func (b *beautifier) appendMsg(s string) {
	b.msg = b.msg.(string) + s
}

func (b *beautifier) join(sep string, v any) error {
	s, err := join(sep, v)
	if err == nil {
		b.msg = s
	}
	return err
}

// byArg1 applies the rules keyed on inC[1].
func (b *beautifier) byArg1() error {
	if len(b.cmd) < 2 {
		return nil
	}
	switch b.cmd[1] {
	case "syslogsocket":
		return b.header("Current syslog socket is:\n", "`- ")
	case "logtarget":
		return b.header("Current logging target is:\n", "`- ")
	case "loglevel":
		b.msg = "Current logging level is " + pyval.Repr(levelValue(b.value))
		return nil
	case "dbfile":
		if b.value == nil {
			b.msg = "Database currently disabled"
			return nil
		}
		return b.header("Current database file is:\n", "`- ")
	case "dbpurgeage":
		return b.purgeAge()
	}
	return b.byArg2()
}

// header does msg = head; msg += prefix + value.
func (b *beautifier) header(head, prefix string) error {
	b.msg = head
	s, err := concat(prefix, b.value)
	if err != nil {
		return err
	}
	b.appendMsg(s)
	return nil
}

// levelValue maps an int level to its name, as logging.getLevelName.
func levelValue(v any) any {
	switch x := v.(type) {
	case bool:
		if x {
			return levelName(1)
		}
		return levelName(0)
	case int64:
		return levelName(x)
	case *big.Int:
		return "Level " + x.String()
	}
	return v
}

func (b *beautifier) purgeAge() error {
	if b.value == nil {
		b.msg = "Database currently disabled"
		return nil
	}
	b.msg = "Current database purge age is:\n"
	s, err := formatI(b.value)
	if err != nil {
		return err
	}
	b.appendMsg("`- " + s + "seconds")
	return nil
}

// statusValue is `" ".join(map(str, v)) if isinstance(v, list) else v`.
func statusValue(v any) string {
	if l, ok := v.([]any); ok {
		return joinStr(l)
	}
	return Str(v)
}

func (b *beautifier) serverStatus() error {
	lines := []any{"Status"}
	b.msg = lines
	rows, err := pyIter(b.value)
	if err != nil {
		return err
	}
	for n, row := range rows {
		prefix := branch(n, len(rows))
		key, val, err := pair(row)
		if err != nil {
			return err
		}
		lines = append(lines, prefix+" "+Str(key)+":\t"+statusValue(val))
		b.msg = lines
	}
	b.msg = joinLines(lines)
	return nil
}

func (b *beautifier) jailStatus() error {
	lines := []any{"Status for the jail: " + Str(b.cmd[1])}
	b.msg = lines
	sections, err := pyIter(b.value)
	if err != nil {
		return err
	}
	for n, sec := range sections {
		name, err := index(sec, 0)
		if err != nil {
			return err
		}
		lines = append(lines, branch(n, len(sections))+" "+Str(name))
		b.msg = lines
		if lines, err = b.section(lines, sec, indent(n, len(sections))); err != nil {
			return err
		}
	}
	b.msg = joinLines(lines)
	return nil
}

// section appends the "key:\tvalue" lines of one status section.
func (b *beautifier) section(lines []any, sec any, prefix string) ([]any, error) {
	body, err := index(sec, 1)
	if err != nil {
		return lines, err
	}
	rows, err := pyIter(body)
	if err != nil {
		return lines, err
	}
	for m, row := range rows {
		key, val, err := pair(row)
		if err != nil {
			return lines, err
		}
		lines = append(lines, prefix+branch(m, len(rows))+" "+Str(key)+":\t"+statusValue(val))
		b.msg = lines
	}
	return lines, nil
}

func pair(row any) (any, any, error) {
	key, err := index(row, 0)
	if err != nil {
		return nil, nil, err
	}
	val, err := index(row, 1)
	return key, val, err
}

// branch is "`-" for the last of n items, "|-" otherwise.
func branch(i, n int) string {
	if i == n-1 {
		return "`-"
	}
	return "|-"
}

// indent continues a tree below item i of n.
func indent(i, n int) string {
	if i == n-1 {
		return "   "
	}
	return "|  "
}

func joinLines(lines []any) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = l.(string)
	}
	return strings.Join(parts, "\n")
}
