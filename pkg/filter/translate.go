package filter

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// target is the dialect a Python pattern is translated into.
type target int

const (
	// targetASCII is Go RE2 syntax for texts known to be pure ASCII: the
	// shorthand classes can use their cheap ASCII forms there because
	// Python's Unicode \d, \w, \s, \b agree with them on ASCII input.
	targetASCII target = iota
	// targetUnicode is Go RE2 syntax valid for any text.
	targetUnicode
	// targetBT is regexp2 (.NET) syntax.
	targetBT
	// targetRelaxed is Go RE2 syntax that accepts a superset of what the
	// pattern accepts (lookarounds dropped, conditionals turned into
	// alternations, back-references into ".*"). It only feeds the
	// literal prefilter.
	targetRelaxed
)

// groupKind tells what a ")" closes.
type groupKind int

const (
	groupPlain groupKind = iota
	groupLook
	groupCond
)

type frame struct {
	pos       int // offset of the group's "(" (Python's error position)
	kind      groupKind
	multiline bool
	sawBar    bool
	marked    bool // written as marker groups (marks mode)
	mark      int  // marker number of a conditional or lookahead
	bodyAt    int  // offset of a lookahead's body (marks mode)
}

// translator walks a Python re pattern once and writes it in the target
// dialect. needBT is set (with a reason) when the pattern uses something a
// Go target cannot express.
type translator struct {
	src       string
	i         int
	t         target
	out       strings.Builder
	multiline bool
	stack     []frame
	openAt    int // offset of the "(" being opened
	suppress  int
	groups    []string // Python group numbering: name or "" per group
	unnamed   []int    // .NET number of each unnamed Python group (0 if named)
	needBT    string
	dollar    bool // a single-line $ was written as (?m:$)
	err       error
	// marks, when set on a Go target, writes conditionals and lookaheads
	// as marker groups for the RE2 rewrite (rewrite.go) instead of
	// asking for regexp2.
	marks *markTable
}

// translate converts a Python pattern. multiline is re.MULTILINE.
func translate(src string, t target, multiline bool) (out, needBT string, err error) {
	tr, err := runTranslate(src, t, multiline)
	if err != nil {
		return "", "", err
	}
	return tr.out.String(), tr.needBT, nil
}

func runTranslate(src string, t target, multiline bool) (*translator, error) {
	tr := &translator{src: src, t: t, multiline: multiline}
	if t == targetBT && multiline {
		tr.emit("(?m)")
	}
	tr.run()
	if tr.err != nil {
		return nil, tr.err
	}
	if n := len(tr.stack); n != 0 {
		// Python reports the innermost group left open.
		return nil, fmt.Errorf("missing ), unterminated subpattern at position %d", tr.stack[n-1].pos)
	}
	return tr, nil
}

func (tr *translator) emit(s string) {
	if tr.suppress == 0 {
		tr.out.WriteString(s)
	}
}

func (tr *translator) fail(format string, args ...any) {
	if tr.err == nil {
		tr.err = fmt.Errorf(format+" at position %d", append(args, tr.i)...)
	}
}

func (tr *translator) bt(reason string) {
	if tr.needBT == "" {
		tr.needBT = reason
	}
}

func (tr *translator) goTarget() bool { return tr.t != targetBT }

func (tr *translator) run() {
	for tr.i < len(tr.src) && tr.err == nil {
		c := tr.src[tr.i]
		switch c {
		case '\\':
			tr.escape(false)
		case '[':
			tr.class()
		case '(':
			tr.openAt = tr.i
			tr.open()
		case ')':
			tr.close()
		case '|':
			tr.bar()
		case '{':
			tr.brace()
		case '*', '+', '?':
			tr.emit(string(c))
			tr.i++
			tr.quantSuffix()
		case '.':
			tr.emit(".")
			tr.i++
		case '^':
			tr.anchor("^")
		case '$':
			tr.anchor("$")
		default:
			r, n := utf8.DecodeRuneInString(tr.src[tr.i:])
			tr.emit(tr.lit(r))
			tr.i += n
		}
	}
}

// bar writes "|"; in marks mode the one "|" of a conditional starts its
// no-branch marker.
func (tr *translator) bar() {
	tr.i++
	n := len(tr.stack)
	if n == 0 {
		tr.emit("|")
		return
	}
	f := &tr.stack[n-1]
	if f.marked && f.kind == groupCond {
		if f.sawBar {
			tr.marks.bad = true
		}
		f.sawBar = true
		tr.emit(")|(?P<" + markName(markNo, f.mark) + ">")
		return
	}
	f.sawBar = true
	tr.emit("|")
}

// anchor writes ^ or $. Go's $ without (?m) only matches at the very end,
// Python's also before a final "\n"; every text we search ends in "\n"
// and holds no other newline in single-line mode, so (?m:$) agrees.
func (tr *translator) anchor(a string) {
	tr.i++
	switch {
	case tr.t == targetBT:
		tr.emit(a)
	case tr.multiline:
		tr.emit("(?m:" + a + ")")
	case tr.t == targetRelaxed && a == "$":
		tr.emit("(?m:$)")
	case a == "$":
		tr.dollar = true
		tr.emit("(?m:$)")
	default:
		tr.emit(`\A`)
	}
}

// quantSuffix handles the lazy "?" and rejects possessive "+".
func (tr *translator) quantSuffix() {
	if tr.i >= len(tr.src) {
		return
	}
	switch tr.src[tr.i] {
	case '?':
		tr.emit("?")
		tr.i++
	case '+':
		tr.fail("possessive quantifier not supported")
	}
}

// brace parses {m,n}; anything that is not a valid repeat is a literal "{"
// as in Python. {,n} means {0,n} in Python but is literal text in Go and
// .NET, so it is always written with an explicit minimum.
func (tr *translator) brace() {
	j := tr.i + 1
	lo := digits(tr.src, j)
	j += len(lo)
	hi, comma := lo, false
	if j < len(tr.src) && tr.src[j] == ',' {
		comma = true
		hi = digits(tr.src, j+1)
		j += 1 + len(hi)
	}
	if j >= len(tr.src) || tr.src[j] != '}' || (!comma && lo == "") {
		tr.emit(`\{`)
		tr.i++
		return
	}
	if lo == "" {
		lo = "0"
	}
	if a, b := atoiMax(lo), atoiMax(hi); hi != "" && b < a {
		tr.fail("min repeat greater than max repeat")
		return
	}
	if comma {
		tr.emit("{" + lo + "," + hi + "}")
	} else {
		tr.emit("{" + lo + "}")
	}
	if atoiMax(lo) > 1000 || atoiMax(hi) > 1000 {
		tr.bt("repeat count above 1000")
	}
	tr.i = j + 1
	tr.quantSuffix()
}

func digits(s string, j int) string {
	k := j
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	return s[j:k]
}

func atoiMax(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 1 << 30
	}
	return n
}

// lit writes one literal rune so that every dialect reads it literally.
func (tr *translator) lit(r rune) string {
	switch {
	case r < utf8.RuneSelf && strings.ContainsRune(`\.+*?()|[]{}^$#&~- `, r):
		if r == ' ' || r == '#' || r == '&' || r == '~' {
			if tr.t == targetBT {
				return `\` + string(r)
			}
			return string(r)
		}
		return `\` + string(r)
	case r == utf8.RuneError || r < 0x20 || (r >= 0x7f && r < 0xa0):
		if tr.t == targetBT && r <= 0xffff {
			return fmt.Sprintf(`\u%04X`, r)
		}
		if tr.t == targetBT {
			return string(r)
		}
		return fmt.Sprintf(`\x{%X}`, r)
	}
	return string(r)
}
