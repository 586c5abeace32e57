package protocol

import (
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// execReplyObject runs GLOBAL, STACK_GLOBAL, REDUCE and BUILD for the
// objects a fail2ban server puts in replies. No code runs: an allowed
// class only becomes a *pyval.Exception (or, for builtins.str, a string).
func (d *Decoder) execReplyObject(code byte) error {
	switch code {
	case opGlobal:
		module, err := d.line()
		if err != nil {
			return err
		}
		name, err := d.line()
		if err != nil {
			return err
		}
		return d.pushGlobal(string(module), string(name))
	case opStackGlobal:
		name, err := d.pop()
		if err != nil {
			return err
		}
		module, err := d.pop()
		if err != nil {
			return err
		}
		m, ok1 := module.(string)
		n, ok2 := name.(string)
		if !ok1 || !ok2 {
			return d.fail("STACK_GLOBAL requires str")
		}
		return d.pushGlobal(m, n)
	case opReduce:
		return d.execReduce()
	}
	return d.execBuildState()
}

func (d *Decoder) pushGlobal(module, name string) error {
	if !replyGlobal(module, name) {
		return d.failf("global '%s.%s' is forbidden", module, name)
	}
	return d.push(globalRef{module: module, name: name})
}

// replyGlobal is the allow-list of classes a reply may name.
func replyGlobal(module, name string) bool {
	switch module {
	case "builtins":
		return name == "str" || isExceptionName(name)
	case "json.decoder":
		return name == "JSONDecodeError"
	}
	return strings.HasPrefix(module, "fail2ban.") && isExceptionName(name)
}

func isExceptionName(name string) bool {
	for _, suffix := range []string{"Error", "Exception", "Warning", "Exit", "Interrupt"} {
		if strings.HasSuffix(name, suffix) && !strings.Contains(name, ".") {
			return true
		}
	}
	return false
}

func (d *Decoder) execReduce() error {
	argv, err := d.pop()
	if err != nil {
		return err
	}
	callable, err := d.pop()
	if err != nil {
		return err
	}
	g, ok := callable.(globalRef)
	b, isBox := argv.(*box)
	if !ok || !isBox || b.kind != kTuple {
		return d.fail("REDUCE needs a class and an argument tuple")
	}
	final, err := d.finalize(b, 1)
	if err != nil {
		return err
	}
	args := final.(pyval.Tuple)
	if g.module == "builtins" && g.name == "str" {
		if len(args) > 1 {
			return d.fail("str() takes at most one argument in a reply")
		}
		s := ""
		if len(args) == 1 {
			s = pyval.Str(args[0])
		}
		return d.push(s)
	}
	return d.push(&pyval.Exception{Module: g.module, Name: g.name, Args: []any(args)})
}

// execBuildState accepts BUILD only on exceptions, whose state (their
// __dict__) the client does not need.
func (d *Decoder) execBuildState() error {
	if _, err := d.pop(); err != nil {
		return err
	}
	n := len(d.stack)
	if n <= d.fence() {
		return d.underflow()
	}
	if _, ok := d.stack[n-1].(*pyval.Exception); !ok {
		return d.fail("BUILD is only accepted on exceptions")
	}
	return nil
}
