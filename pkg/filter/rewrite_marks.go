package filter

import (
	"strconv"
	"strings"
)

// Marker groups: in marks mode the translator writes a conditional
// (?(name)A|B) as
//
//	(?P<f2bcN>(?P<f2byN>A)|(?P<f2bnN>B))
//
// and a lookahead (?!LIT) or (?=LIT) as the empty group (?P<f2blN>), so
// that Go's regexp/syntax parses the whole pattern into a tree the RE2
// rewrite (rewrite.go) can work on. The markers never reach a compiled
// regex: the rewrite resolves every conditional and turns every lookahead
// into a checked loop capture, or gives up.

// Marker kinds, the letter after "f2b" in a marker group's name.
const (
	markCond = 'c'
	markYes  = 'y'
	markNo   = 'n'
	markLook = 'l'
)

// markTable records what each marker stands for.
type markTable struct {
	conds []string   // group each conditional tests
	looks []lookMark // the lookaheads
	bad   bool       // something the rewrite cannot prove exact
}

// lookMark is one lookahead whose body is a plain literal.
type lookMark struct {
	lit string
	neg bool // (?!…) rather than (?=…)
	ok  bool // the body is a literal
}

func markName(kind byte, n int) string { return "f2b" + string(kind) + strconv.Itoa(n) }

// parseMark splits a marker group name; ok false for any other name.
func parseMark(name string) (kind byte, n int, ok bool) {
	if len(name) < 5 || !strings.HasPrefix(name, "f2b") {
		return 0, 0, false
	}
	n, err := strconv.Atoi(name[4:])
	if err != nil {
		return 0, 0, false
	}
	switch k := name[3]; k {
	case markCond, markYes, markNo, markLook:
		return k, n, true
	}
	return 0, 0, false
}

// openCondMark opens a conditional's marker groups; only a test of a named
// group can be resolved.
func (tr *translator) openCondMark(ref string, unnamed bool) {
	if unnamed {
		tr.marks.bad = true
	}
	n := len(tr.marks.conds)
	tr.marks.conds = append(tr.marks.conds, ref)
	tr.push(groupCond)
	f := &tr.stack[len(tr.stack)-1]
	f.marked, f.mark = true, n
	tr.emit("(?P<" + markName(markCond, n) + ">(?P<" + markName(markYes, n) + ">")
}

// openLookMark writes a lookahead's marker; its body is not written, only
// read back by setLook when the group closes.
func (tr *translator) openLookMark(n int) {
	k := len(tr.marks.looks)
	tr.marks.looks = append(tr.marks.looks, lookMark{neg: tr.src[tr.i+2] == '!'})
	tr.push(groupLook)
	f := &tr.stack[len(tr.stack)-1]
	f.marked, f.mark, f.bodyAt = true, k, tr.i+n
	tr.emit("(?P<" + markName(markLook, k) + ">")
	tr.suppress++
	tr.i += n
}

// plainLiteral decodes a Python pattern made only of ordinary ASCII
// characters and backslash-escaped punctuation.
func plainLiteral(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte(`\.+*?()|[]{}^$#&~- /:'"<>=!,@%`, s[i+1]) >= 0:
			i++
			b.WriteByte(s[i])
		case c >= 0x80 || c < 0x20 || strings.IndexByte(`\.+*?()|[]{}^$`, c) >= 0:
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), s != ""
}

// setLook records the body of lookahead k, usable only when it is a
// plain literal.
func (m *markTable) setLook(k int, body string) {
	lit, ok := plainLiteral(body)
	if !ok {
		m.bad = true
	}
	m.looks[k].lit, m.looks[k].ok = lit, ok
}
