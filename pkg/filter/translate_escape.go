package filter

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Shorthand classes per target: Python's re on str patterns is
// Unicode-aware, Go's shorthands are ASCII-only.
//
// Python \s is str.isspace(): \t-\r, \x1c-\x1f, space, \x85 and the
// Unicode separators (\p{Z}). Python \w is str.isalnum() or "_".
var shorthand = map[target]map[byte][2]string{ // [outside class, inside class]
	targetASCII: {
		'd': {`[0-9]`, `0-9`},
		'D': {`[^0-9]`, `\x00-/:-\x{10FFFF}`},
		'w': {`[0-9A-Za-z_]`, `0-9A-Za-z_`},
		'W': {`[^0-9A-Za-z_]`, "\\x00-/:-@\\[-\\^`\\{-\\x{10FFFF}"},
		's': {`[\t-\r\x1c-\x1f ]`, `\t-\r\x1c-\x1f `},
		'S': {`[^\t-\r\x1c-\x1f ]`, `\x00-\x08\x0e-\x1b!-\x{10FFFF}`},
	},
	targetUnicode: {
		'd': {`\p{Nd}`, `\p{Nd}`},
		'D': {`\P{Nd}`, `\P{Nd}`},
		'w': {`[\p{L}\p{N}_]`, `\p{L}\p{N}_`},
		'W': {`[^\p{L}\p{N}_]`, ``},
		's': {`[\t-\r\x1c-\x1f\x{85}\p{Z}]`, `\t-\r\x1c-\x1f\x{85}\p{Z}`},
		'S': {`[^\t-\r\x1c-\x1f\x{85}\p{Z}]`, ``},
	},
	targetBT: {
		'd': {`\d`, `\d`},
		'D': {`\D`, `\D`},
		'w': {`[\p{L}\p{N}_]`, `\p{L}\p{N}_`},
		'W': {`[^\p{L}\p{N}_]`, `\W`},
		's': {`[\s\x1c-\x1f]`, `\s\x1c-\x1f`},
		'S': {`[^\s\x1c-\x1f]`, `\S`},
	},
}

func init() { shorthand[targetRelaxed] = shorthand[targetUnicode] }

// escape handles a backslash sequence, inside a class or not.
func (tr *translator) escape(inClass bool) {
	if tr.i+1 >= len(tr.src) {
		tr.fail("bad escape (end of pattern)")
		return
	}
	c := tr.src[tr.i+1]
	tr.i += 2
	switch c {
	case 'd', 'D', 'w', 'W', 's', 'S':
		tr.shorthand(c, inClass)
	case 'b', 'B':
		tr.boundary(c, inClass)
	case 'A':
		tr.notInClass(inClass, `\A`, c)
	case 'Z':
		tr.notInClass(inClass, `\z`, c)
	case 'a', 'f', 'n', 'r', 't', 'v':
		tr.emit(`\` + string(c))
	case 'x':
		tr.hexEscape(2)
	case 'u':
		tr.hexEscape(4)
	case 'U':
		tr.hexEscape(8)
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		tr.numEscape(c, inClass)
	default:
		tr.punctEscape(c)
	}
}

func (tr *translator) shorthand(c byte, inClass bool) {
	s := shorthand[tr.t][c]
	if !inClass {
		tr.emit(s[0])
		return
	}
	if s[1] == "" {
		// a negated shorthand inside a class has no RE2 spelling for
		// arbitrary Unicode text
		tr.bt(`negated shorthand \` + string(c) + ` inside a class`)
		tr.emit(`\` + string(c))
		return
	}
	tr.emit(s[1])
}

// boundary: \b and \B are Unicode-aware in Python, ASCII in Go. Inside a
// class \b is a backspace.
func (tr *translator) boundary(c byte, inClass bool) {
	switch {
	case inClass && c == 'b':
		tr.emit(`\x08`)
	case inClass:
		tr.fail(`bad escape \B`)
	case tr.t == targetUnicode:
		tr.bt(`\` + string(c) + ` on non-ASCII text`)
		tr.emit(`\` + string(c))
	case tr.t == targetRelaxed:
		// dropped: an assertion removed only widens the language
	default:
		tr.emit(`\` + string(c))
	}
}

func (tr *translator) notInClass(inClass bool, s string, c byte) {
	if inClass {
		tr.fail(`bad escape \%c`, c)
		return
	}
	tr.emit(s)
}

func (tr *translator) hexEscape(n int) {
	if tr.i+n > len(tr.src) {
		tr.fail("incomplete escape")
		return
	}
	v, err := strconv.ParseUint(tr.src[tr.i:tr.i+n], 16, 32)
	if err != nil || v > utf8.MaxRune {
		tr.fail("bad escape %q", tr.src[tr.i-2:tr.i+n])
		return
	}
	tr.i += n
	tr.emit(tr.lit(rune(v)))
}

// numEscape: \0 and three octal digits are octal escapes; otherwise a
// group reference (outside classes).
func (tr *translator) numEscape(c byte, inClass bool) {
	start := tr.i - 1
	if c == '0' || (isOctal(c) && tr.i+1 < len(tr.src) && isOctal(tr.src[tr.i]) && isOctal(tr.src[tr.i+1])) || inClass {
		j := start
		for j < len(tr.src) && j < start+3 && isOctal(tr.src[j]) {
			j++
		}
		if j == start {
			tr.fail(`bad escape \%c`, c)
			return
		}
		v, _ := strconv.ParseUint(tr.src[start:j], 8, 32)
		if v > 0o377 {
			tr.fail("octal escape value outside of range 0-0o377")
			return
		}
		tr.i = j
		tr.emit(tr.lit(rune(v)))
		return
	}
	j := start + 1
	if j < len(tr.src) && tr.src[j] >= '0' && tr.src[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(tr.src[start:j])
	tr.i = j
	tr.backref(n)
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// backref writes a reference to Python group n (1-based).
func (tr *translator) backref(n int) {
	if n < 1 || n > len(tr.groups) {
		tr.fail("invalid group reference %d", n)
		return
	}
	tr.bt("back-reference")
	switch tr.t {
	case targetBT:
		if name := tr.groups[n-1]; name != "" {
			tr.emit(`\k<` + name + `>`)
		} else {
			tr.emit(`(?:\` + strconv.Itoa(tr.unnamed[n-1]) + `)`)
		}
	case targetRelaxed:
		tr.emit(`(?s:.*)`)
	}
}

func (tr *translator) punctEscape(c byte) {
	if c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		tr.fail(`bad escape \%c`, c)
		return
	}
	tr.i--
	r, n := utf8.DecodeRuneInString(tr.src[tr.i:])
	tr.i += n
	tr.emit(tr.lit(r))
}

// class copies a character class. "[" inside is escaped (Go would read
// "[:alpha:]", .NET "-[" as a subtraction), "]" first is literal as in
// Python.
func (tr *translator) class() {
	tr.i++
	tr.emit("[")
	if tr.i < len(tr.src) && tr.src[tr.i] == '^' {
		tr.emit("^")
		tr.i++
	}
	first := true
	for tr.err == nil {
		if tr.i >= len(tr.src) {
			tr.fail("unterminated character set")
			return
		}
		c := tr.src[tr.i]
		switch {
		case c == ']' && !first:
			tr.emit("]")
			tr.i++
			return
		case c == '\\':
			tr.escape(true)
		case c == '-':
			tr.emit("-")
			tr.i++
		default:
			r, n := utf8.DecodeRuneInString(tr.src[tr.i:])
			tr.emit(tr.classLit(r))
			tr.i += n
		}
		first = false
	}
}

func (tr *translator) classLit(r rune) string {
	if r < utf8.RuneSelf && strings.ContainsRune(`[]\^`, r) {
		return `\` + string(r)
	}
	return tr.lit(r)
}
