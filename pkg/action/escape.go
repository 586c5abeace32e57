package action

import (
	"strconv"
	"strings"
	"unicode"
)

// unsafeChars are the characters that make a dynamic value travel as a
// positional parameter instead of script text (fail2ban's ESCAPE_CRE).
// Space and tab are deliberately absent, as in fail2ban.
const unsafeChars = "\\#&;`|*?~<>^()[]{}$'\"\n\r"

// shellVars collects the values that must be passed out of band.
type shellVars struct {
	names  []string
	values map[string]string
}

// escape returns value itself when it is safe to paste, otherwise a
// reference to a new positional variable named after tag.
func (sv *shellVars) escape(tag, value string) string {
	if !strings.ContainsAny(value, unsafeChars) {
		return value
	}
	name := "f2bV_" + varName(tag)
	if sv.values == nil {
		sv.values = map[string]string{}
	}
	if _, ok := sv.values[name]; !ok {
		sv.names = append(sv.names, name)
	}
	sv.values[name] = value
	return "$" + name
}

// varName turns a tag into a shell-variable suffix: non-word characters
// become underscores (Python's \W).
func varName(tag string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, tag)
}

// build prefixes script with the variable assignments from $0, $1, …
// (fail2ban's Utils.buildShellCmd).
func (sv *shellVars) build(script string) Command {
	if len(sv.names) == 0 {
		return Command{Script: script}
	}
	var b strings.Builder
	args := make([]string, 0, len(sv.names))
	for i, n := range sv.names {
		b.WriteString(n + "=$" + strconv.Itoa(i) + " ")
		args = append(args, sv.values[n])
	}
	b.WriteString("\n")
	b.WriteString(script)
	return Command{Script: b.String(), Args: args}
}
