package filter

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// A prefregex ends in <F-CONTENT>.+</F-CONTENT>$, and Go's regexp pays for
// every byte the final ".+" walks (about half the prefregex's time on an
// sshd line). On the RE2 forms, "$" is (?m:$) and "." excludes "\n", so
// from any position p the greedy (?P<c>.+)(?m:$) succeeds exactly when
// the byte at p exists and is not "\n", and then spans to the next "\n" or
// the end of the text. A single "." succeeds under the same condition, so
// a pattern ending in that group at its top level is compiled with (?P<c>.)
// instead (or an empty group for ".*"), and the group and the match are
// extended to the line end afterwards: the same match, found without
// walking the rest of the line.

// cutTail compiles src with its final top-level (?P<name>.+)(?m:$) or
// (?P<name>.*)(?m:$) shortened; group is that capture's index, 0 when src
// does not end that way (re is then nil).
func cutTail(src string) (re *regexp.Regexp, group int) {
	tree, err := syntax.Parse(src, syntax.Perl)
	if err != nil || tree.Op != syntax.OpConcat || len(tree.Sub) < 2 {
		return nil, 0
	}
	n := len(tree.Sub)
	c, end := tree.Sub[n-2], tree.Sub[n-1]
	if end.Op != syntax.OpEndLine || c.Op != syntax.OpCapture || c.Name == "" {
		return nil, 0
	}
	loop := c.Sub[0]
	if loop.Op != syntax.OpPlus && loop.Op != syntax.OpStar || loop.Flags&syntax.NonGreedy != 0 ||
		loop.Sub[0].Op != syntax.OpAnyCharNotNL {
		return nil, 0
	}
	short := loop.Sub[0]
	if loop.Op == syntax.OpStar {
		short = &syntax.Regexp{Op: syntax.OpEmptyMatch}
	}
	subs := append(append([]*syntax.Regexp(nil), tree.Sub[:n-2]...), withSubs(c, short))
	want := concatOf(subs...)
	cut, ok := cutSource(src, c.Name, loop.Op == syntax.OpStar, want)
	if !ok {
		// printing a tree is slow (case folding of large Unicode
		// classes), so it is only the fallback
		cut = want.String()
	}
	re, err = regexp.Compile(cut)
	if err != nil {
		return nil, 0
	}
	if group = re.SubexpIndex(c.Name); group <= 0 {
		return nil, 0
	}
	return re, group
}

// cutSource shortens the tail in the source text itself when src ends
// with it as written by the translator, and checks that the result parses
// to want, the shortened tree.
func cutSource(src, name string, star bool, want *syntax.Regexp) (string, bool) {
	loop, short := ".+", "."
	if star {
		loop, short = ".*", ""
	}
	for _, end := range []string{"(?m:$)", "$"} {
		tail := "(?P<" + name + ">" + loop + ")" + end
		if !strings.HasSuffix(src, tail) {
			continue
		}
		cut := src[:len(src)-len(tail)] + "(?P<" + name + ">" + short + ")"
		if got, err := syntax.Parse(cut, syntax.Perl); err == nil && got.Equal(want) {
			return cut, true
		}
	}
	return "", false
}

// extendTail stretches the cut group, and the match, to the line end.
// oneLine says the caller knows text holds no "\n" before its last byte
// (innerNewline is false): the line end is then found without a scan.
func extendTail(text string, loc []int, group int, oneLine bool) {
	e := loc[2*group+1]
	if e < 0 {
		return
	}
	if oneLine {
		if n := len(text) - 1; n >= e && text[n] == '\n' {
			e = n
		} else {
			e = len(text)
		}
	} else if i := strings.IndexByte(text[e:], '\n'); i >= 0 {
		e += i
	} else {
		e = len(text)
	}
	loc[2*group+1], loc[1] = e, e
}
