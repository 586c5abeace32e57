package client

import (
	"strconv"

	"github.com/f2b/f2b/pkg/pyval"
)

// byArg2 applies the rules keyed on inC[2] (per-jail get/set replies).
func (b *beautifier) byArg2() error {
	if len(b.cmd) < 3 {
		return nil
	}
	switch b.cmd[2] {
	case "logpath", "addlogpath", "dellogpath":
		return b.tree("No file is currently monitored", "Current monitored log file(s):\n", false)
	case "logencoding":
		return b.header("Current log encoding is set to:\n", "")
	case "journalmatch", "addjournalmatch", "deljournalmatch":
		return b.journalMatch()
	case "datepattern":
		return b.datePattern()
	case "ignoreip", "addignoreip", "delignoreip":
		return b.tree("No IP address/network is ignored", "These IP addresses/networks are ignored:\n", false)
	case "failregex", "addfailregex", "delfailregex", "ignoreregex", "addignoreregex", "delignoreregex":
		return b.tree("No regular expression is defined", "The following regular expression are defined:\n", true)
	case "actions":
		return b.names("No actions for jail %s", "The jail %s has the following actions:\n", 1)
	case "actionproperties":
		return b.names("No properties for jail %s action %s", "The jail %s action %s has the following properties:\n", 3)
	case "actionmethods":
		return b.names("No methods for jail %s action %s", "The jail %s action %s has the following methods:\n", 3)
	case "banip":
		return b.banIP()
	}
	return nil
}

// tree renders a list as "|- item" lines and a final "`- item"; numbered
// adds the "[i]: " index of the regex lists.
func (b *beautifier) tree(empty, head string, numbered bool) error {
	n, err := pyLen(b.value)
	if err != nil {
		return err
	}
	if n == 0 {
		b.msg = empty
		return nil
	}
	b.msg = head
	items, err := pySeq(b.value)
	if err != nil {
		return err
	}
	for i, it := range items {
		prefix, end := "|- ", "\n"
		if i == len(items)-1 {
			prefix, end = "`- ", ""
		}
		if numbered {
			prefix += "[" + strconv.Itoa(i) + "]: "
		}
		s, err := concat(prefix, it)
		if err != nil {
			return err
		}
		b.appendMsg(s + end)
	}
	return nil
}

func (b *beautifier) journalMatch() error {
	n, err := pyLen(b.value)
	if err != nil {
		return err
	}
	if n == 0 {
		b.msg = "No journal match filter set"
		return nil
	}
	b.msg = "Current match filter:\n"
	groups, err := pyIter(b.value)
	if err != nil {
		return err
	}
	parts := make([]any, len(groups))
	for i, g := range groups {
		s, err := join(" ", g)
		if err != nil {
			return err
		}
		parts[i] = s
	}
	s, _ := join(" + ", parts)
	b.appendMsg(s)
	return nil
}

func (b *beautifier) datePattern() error {
	b.msg = "Current date pattern set to: "
	if b.value == nil {
		b.appendMsg("Not set/required")
		return nil
	}
	first, err := index(b.value, 0)
	if err != nil {
		return err
	}
	if first == nil {
		second, err := index(b.value, 1)
		if err != nil {
			return err
		}
		s, err := percentS(second)
		if err != nil {
			return err
		}
		b.appendMsg(s)
		return nil
	}
	t, ok := b.value.(pyval.Tuple)
	if !ok || len(t) != 2 {
		return errFormatArgs
	}
	b.appendMsg(Str(t[0]) + " (" + Str(t[1]) + ")")
	return nil
}

// percentS is "%s" % v: a tuple argument is unpacked.
func percentS(v any) (string, error) {
	t, ok := v.(pyval.Tuple)
	if !ok {
		return Str(v), nil
	}
	if len(t) != 1 {
		return "", errFormatArgs
	}
	return Str(t[0]), nil
}

// names renders "', '.join(value)" under a header naming the jail (and,
// with last == 3, the action).
func (b *beautifier) names(empty, head string, last int) error {
	idx := []int{1}
	if last == 3 {
		idx = append(idx, 3)
	}
	args := make([]any, 0, len(idx))
	for _, i := range idx {
		a, err := b.arg(i)
		if err != nil {
			return err
		}
		args = append(args, Str(a))
	}
	n, err := pyLen(b.value)
	if err != nil {
		return err
	}
	if n == 0 {
		b.msg = sprintf(empty, args)
		return nil
	}
	b.msg = sprintf(head, args)
	s, err := join(", ", b.value)
	if err != nil {
		return err
	}
	b.appendMsg(s)
	return nil
}

// banIP is `get <jail> banip [sep|--with-time]`: a list joined by sep.
func (b *beautifier) banIP() error {
	if b.cmd[0] != "get" {
		return nil
	}
	if _, ok := b.value.([]any); !ok {
		return nil
	}
	sep := any(" ")
	if len(b.cmd) > 3 {
		sep = b.cmd[3]
	}
	if sep == "--with-time" {
		sep = "\n"
	}
	s, ok := sep.(string)
	if !ok {
		return errFormatArgs
	}
	return b.join(s, b.value)
}
