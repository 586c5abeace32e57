package filter

import (
	"strconv"
	"strings"
)

// hostLookbehind is the tail of fail2ban's IPv6 expansion. Every
// alternative before it ends in ":", so the lookbehind always holds and
// ":" alone is exactly equivalent (spec §6.1).
const hostLookbehind = `(?<=:):`

func (tr *translator) push(kind groupKind) {
	tr.stack = append(tr.stack, frame{pos: tr.openAt, kind: kind, multiline: tr.multiline})
}

func (tr *translator) close() {
	n := len(tr.stack)
	if n == 0 {
		tr.fail("unbalanced parenthesis")
		return
	}
	f := tr.stack[n-1]
	tr.stack = tr.stack[:n-1]
	tr.i++
	tr.multiline = f.multiline
	switch {
	case f.marked && f.kind == groupLook:
		tr.suppress--
		tr.marks.setLook(f.mark, tr.src[f.bodyAt:tr.i-1])
		tr.emit(")")
	case f.marked && !f.sawBar:
		tr.emit(")|(?P<" + markName(markNo, f.mark) + ">))")
	case f.marked:
		tr.emit("))")
	case f.kind == groupLook && tr.t == targetRelaxed:
		tr.suppress--
	case f.kind == groupCond && tr.t == targetRelaxed && !f.sawBar:
		tr.emit("|)")
	default:
		tr.emit(")")
	}
}

// open handles "(" and every "(?" extension.
func (tr *translator) open() {
	rest := tr.src[tr.i:]
	if tr.goTarget() && strings.HasPrefix(rest, hostLookbehind) {
		tr.emit(":")
		tr.i += len(hostLookbehind)
		return
	}
	if !strings.HasPrefix(rest, "(?") {
		tr.capture("")
		tr.i++
		return
	}
	if len(rest) < 3 {
		tr.fail("unexpected end of pattern")
		return
	}
	switch c := rest[2]; {
	case c == 'P':
		tr.pGroup(rest)
	case c == ':':
		tr.push(groupPlain)
		tr.emit("(?:")
		tr.i += 3
	case c == '=' || c == '!':
		tr.look(3)
	case c == '<' && len(rest) > 3 && (rest[3] == '=' || rest[3] == '!'):
		tr.look(4)
	case c == '>':
		tr.bt("atomic group")
		tr.push(groupPlain)
		tr.emit(map[bool]string{true: "(?:", false: "(?>"}[tr.t == targetRelaxed])
		tr.i += 3
	case c == '#':
		tr.comment()
	case c == '(':
		tr.conditional(rest)
	default:
		tr.flags(rest)
	}
}

// capture opens a capturing group; name "" for a numbered one.
func (tr *translator) capture(name string) {
	tr.groups = append(tr.groups, name)
	num := 0
	if name == "" {
		for _, g := range tr.groups {
			if g == "" {
				num++
			}
		}
	}
	tr.unnamed = append(tr.unnamed, num)
	tr.push(groupPlain)
	switch {
	case name == "":
		tr.emit("(")
	case tr.t == targetBT:
		tr.emit("(?<" + name + ">")
	default:
		tr.emit("(?P<" + name + ">")
	}
}

// pGroup: (?P<name>…) or (?P=name).
func (tr *translator) pGroup(rest string) {
	if len(rest) < 4 || (rest[3] != '<' && rest[3] != '=') {
		tr.fail("unknown extension ?P")
		return
	}
	end := map[byte]byte{'<': '>', '=': ')'}[rest[3]]
	k := strings.IndexByte(rest[4:], end)
	if k <= 0 {
		tr.fail("missing group name")
		return
	}
	name := rest[4 : 4+k]
	if !isGroupName(name) {
		tr.fail("bad character in group name %q", name)
		return
	}
	tr.i += 5 + k
	if rest[3] == '<' {
		for _, g := range tr.groups {
			if g == name {
				tr.fail("redefinition of group name %q", name)
				return
			}
		}
		tr.capture(name)
		return
	}
	for n, g := range tr.groups {
		if g == name {
			tr.backref(n + 1)
			return
		}
	}
	tr.fail("unknown group name %q", name)
}

func isGroupName(s string) bool {
	for i, r := range s {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || (i > 0 && r >= '0' && r <= '9') || r > 0x7f
		if !ok {
			return false
		}
	}
	return s != ""
}

func (tr *translator) look(n int) {
	if tr.marks != nil && tr.goTarget() && n == 3 {
		tr.openLookMark(n)
		return
	}
	tr.bt("lookaround")
	tr.push(groupLook)
	if tr.t == targetRelaxed {
		tr.suppress++
	} else {
		tr.emit(tr.src[tr.i : tr.i+n])
	}
	tr.i += n
}

func (tr *translator) comment() {
	k := strings.IndexByte(tr.src[tr.i:], ')')
	if k < 0 {
		tr.fail("missing ), unterminated comment")
		return
	}
	tr.i += k + 1
}

// conditional: (?(name)yes|no) or (?(1)yes|no).
func (tr *translator) conditional(rest string) {
	k := strings.IndexByte(rest, ')')
	if k < 0 {
		tr.fail("missing ), unterminated name")
		return
	}
	ref := rest[3:k]
	num, err := strconv.Atoi(ref)
	switch {
	case err == nil && (num < 1 || num > len(tr.groups)):
		tr.fail("invalid group reference %d", num)
	case err == nil && tr.groups[num-1] == "":
		ref = strconv.Itoa(tr.unnamed[num-1])
	case err == nil:
		ref = tr.groups[num-1]
	case !tr.hasGroup(ref):
		tr.fail("unknown group name %q", ref)
	}
	if tr.err != nil {
		return
	}
	if tr.marks != nil && tr.goTarget() {
		tr.openCondMark(ref, err == nil && tr.groups[num-1] == "")
		tr.i += k + 1
		return
	}
	tr.bt("conditional group")
	tr.push(groupCond)
	tr.i += k + 1
	if tr.t == targetRelaxed {
		tr.emit("(?:")
		return
	}
	tr.emit("(?(" + ref + ")")
}

func (tr *translator) hasGroup(name string) bool {
	for _, g := range tr.groups {
		if g == name {
			return true
		}
	}
	return false
}

// flags: (?aiLmsux) at the very start, or scoped (?flags-flags:…).
func (tr *translator) flags(rest string) {
	j := 2
	for j < len(rest) && strings.IndexByte("aiLmsux-", rest[j]) >= 0 {
		j++
	}
	if j == 2 || j >= len(rest) || (rest[j] != ')' && rest[j] != ':') {
		tr.fail("unknown extension %q", rest[:min(len(rest), 3)])
		return
	}
	on, off, _ := strings.Cut(rest[2:j], "-")
	if strings.ContainsAny(on+off, "La") || (rest[j] == ')' && off != "") {
		tr.fail("unsupported flags %q", rest[:j+1])
		return
	}
	if rest[j] == ')' && tr.i != 0 {
		tr.fail("global flags not at the start of the expression")
		return
	}
	if strings.Contains(on+off, "x") {
		tr.bt("verbose flag")
	}
	if tr.marks != nil && strings.Contains(on, "i") {
		tr.marks.bad = true // lookahead literals are compared case-sensitively
	}
	scoped := rest[j] == ':'
	if scoped {
		tr.push(groupPlain)
	}
	if strings.Contains(on, "m") {
		tr.multiline = true
	} else if strings.Contains(off, "m") {
		tr.multiline = false
	}
	tr.emit(tr.flagText(on, off, scoped))
	tr.i += j + 1
}

// flagText keeps i, s (and x for .NET); m is applied through the anchors
// on Go targets, u is the default.
func (tr *translator) flagText(on, off string, scoped bool) string {
	keep := func(f string) string {
		var b strings.Builder
		for _, c := range f {
			if c == 'i' || c == 's' || (tr.t == targetBT && (c == 'x' || c == 'm')) {
				b.WriteRune(c)
			}
		}
		return b.String()
	}
	on, off = keep(on), keep(off)
	switch {
	case scoped && off != "":
		return "(?" + on + "-" + off + ":"
	case scoped:
		return "(?" + on + ":"
	case on == "":
		return ""
	}
	return "(?" + on + ")"
}
