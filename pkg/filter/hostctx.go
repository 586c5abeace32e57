package filter

import (
	"regexp/syntax"
	"strings"
)

// This file decides, from the Python source around an expanded <ADDR> or
// <HOST>, whether the host matcher (hostmatch.go) may stand in for the
// tag. Every check is conservative: a context it does not recognise
// leaves the regex on the full engine.

// hostCharsADDR and hostCharsHOST are the bytes an <ADDR> (resp. <HOST>)
// match can contain; the placeholder is a run of them.
const (
	hostCharsADDR = `0-9A-Fa-f:.\[\]`
	hostCharsHOST = `0-9A-Za-z_\-.^:\[\]`
)

// hostTag locates the single expanded host tag of expr whose context
// makes its span a maximal run of tag bytes (see hostmatch.go): at the
// top level, after text start or a byte outside the run set, before a
// byte outside it. It returns the tag's offset, its expansion and the
// run set, or ok false.
func hostTag(expr string, multiline bool) (at int, tag, chars string, ok bool) {
	if hasFlag(expr) {
		return 0, "", "", false
	}
	switch {
	case strings.Count(expr, tagHOST) == 1:
		tag, chars = tagHOST, hostCharsHOST
	case strings.Count(expr, tagADDR) == 1 && !strings.Contains(expr, tagHOST):
		tag, chars = tagADDR, hostCharsADDR
	default:
		return 0, "", "", false
	}
	at = strings.Index(expr, tag)
	before, after := expr[:at], expr[at+len(tag):]
	// no other group may reuse the tag's names
	if strings.Contains(before+after, "(?P<ip4>") || strings.Contains(before+after, "(?P<ip6>") ||
		strings.Contains(before+after, "(?P<dns>") {
		return 0, "", "", false
	}
	host := tag == tagHOST
	if !topLevel(before) || !boundedBefore(before, host) ||
		!boundedAfter(after, host) && !boundedAfterRE(after, host, multiline) {
		return 0, "", "", false
	}
	return at, tag, chars, true
}

// hasFlag reports inline flags that change what the context checks rely
// on: case folding (the run set would grow) and verbose mode (spaces
// would not be literal), also the locale flag.
func hasFlag(expr string) bool {
	for i := 0; ; {
		j := strings.Index(expr[i:], "(?")
		if j < 0 {
			return false
		}
		i += j + 2
		for k := i; k < len(expr); k++ {
			c := expr[k]
			if c == 'i' || c == 'x' || c == 'L' {
				return true
			}
			if !strings.ContainsRune("aimsuxL-", rune(c)) {
				break
			}
		}
	}
}

// topLevel reports that the end of prefix is outside every group and
// character class.
func topLevel(prefix string) bool {
	depth, class := 0, false
	for i := 0; i < len(prefix); i++ {
		switch c := prefix[i]; {
		case c == '\\':
			i++
		case class:
			class = c != ']'
		case c == '[':
			class = true
			if strings.HasPrefix(prefix[i+1:], "^]") {
				i += 2
			} else if strings.HasPrefix(prefix[i+1:], "]") {
				i++
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
		}
	}
	return depth == 0 && !class
}

// safeLit are literal bytes (unescaped, outside a class) that are in
// neither run set and carry no regex meaning.
const safeLit = " =@'\"<>,;/#!%&~`"

// safeEsc are escaped literal bytes in neither run set.
const safeEsc = `()'"/ =@<>,;#!%&~{}|*+?$-`

// boundedBefore: every match path reaches the tag at text start or right
// after a byte outside the run set. Recognised endings: "^", "\s", "\s+"
// (lazy too), a safe literal byte, and "\s*"/"\s*?" after any of those.
func boundedBefore(s string, host bool) bool {
	for {
		switch {
		case s == "^":
			return true
		case endsEscaped(s, `\s*?`):
			s = s[:len(s)-4]
		case endsEscaped(s, `\s*`):
			s = s[:len(s)-3]
		case endsEscaped(s, `\s+?`), endsEscaped(s, `\s+`), endsEscaped(s, `\s`):
			return true
		case s == "":
			return false
		default:
			return boundaryByte(s, host)
		}
	}
}

// boundaryByte checks the last atom of s: an unquantified literal byte
// outside the run set.
func boundaryByte(s string, host bool) bool {
	c := s[len(s)-1]
	if backslashesBefore(s, len(s)-1)%2 == 1 {
		return strings.IndexByte(safeEsc, c) >= 0 && !(host && c == '-')
	}
	return strings.IndexByte(safeLit, c) >= 0 || !host && nonHexLetter(c)
}

// nonHexLetter: letters outside an address (a host name holds letters,
// so this serves <ADDR> only).
func nonHexLetter(c byte) bool { return c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z' }

// boundedAfter: every match path continues the tag with a byte outside
// the run set. Recognised starts: "\s" or "\s+" (not * ? {), a safe
// literal byte not made optional, and "$".
func boundedAfter(s string, host bool) bool {
	switch {
	case strings.HasPrefix(s, `\s`):
		return !optionalQuant(s[2:])
	case strings.HasPrefix(s, "$"):
		return true
	case s == "":
		return false
	case s[0] == '\\' && len(s) > 1:
		return strings.IndexByte(safeEsc, s[1]) >= 0 && !(host && s[1] == '-') && !optionalQuant(s[2:])
	case strings.IndexByte(safeLit, s[0]) >= 0:
		return !optionalQuant(s[1:])
	}
	return !host && nonHexLetter(s[0]) && !optionalQuant(s[1:])
}

// optionalQuant reports a quantifier that may repeat zero times, or an
// alternation bar right after the atom (the other branch is unbounded).
func optionalQuant(s string) bool {
	return s != "" && strings.IndexByte("*?{|", s[0]) >= 0
}

// endsEscaped reports s ends with suffix (which starts with a backslash)
// and that backslash is itself not escaped.
func endsEscaped(s, suffix string) bool {
	return strings.HasSuffix(s, suffix) && backslashesBefore(s, len(s)-len(suffix))%2 == 0
}

// backslashesBefore counts the backslashes right before s[i].
func backslashesBefore(s string, i int) int {
	n := 0
	for i--; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n
}

// boundedAfterRE is boundedAfter for any suffix: the bytes a match of the
// suffix can start with (pattern end counting as a newline, since $ and
// \Z only hold before a newline or at the end) must be outside the run
// set, and the suffix must not match the empty string.
func boundedAfterRE(after string, host, multiline bool) bool {
	src, _, err := translate(after, targetASCII, multiline)
	if err != nil {
		return false
	}
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return false
	}
	endsAsNewline(re)
	var first byteSet
	if firstOf(re, &first) {
		return false
	}
	run := runSet(host)
	for k := range first {
		if first[k]&run[k] != 0 {
			return false
		}
	}
	return true
}

// endsAsNewline turns the end-of-line and end-of-text assertions of re
// into a literal newline, for first-byte purposes only.
func endsAsNewline(re *syntax.Regexp) {
	if re.Op == syntax.OpEndLine || re.Op == syntax.OpEndText {
		re.Op, re.Rune, re.Flags = syntax.OpLiteral, []rune{'\n'}, 0
	}
	for _, sub := range re.Sub {
		endsAsNewline(sub)
	}
}

// runSet is the byte set of hostCharsADDR or hostCharsHOST.
func runSet(host bool) byteSet {
	var s byteSet
	addByteRange(&s, '0', '9')
	addByteRange(&s, 'A', 'F')
	addByteRange(&s, 'a', 'f')
	for _, c := range []byte(":.[]") {
		s.add(c)
	}
	if host {
		addByteRange(&s, 'A', 'Z')
		addByteRange(&s, 'a', 'z')
		for _, c := range []byte("_-^") {
			s.add(c)
		}
	}
	return s
}
