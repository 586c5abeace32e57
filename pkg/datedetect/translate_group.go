package datedetect

import (
	"errors"
	"strconv"
	"strings"
)

// open translates a group opener.
func (t *translator) open(s string) (int, error) {
	g := openGroup{outPos: t.out.Len()}
	if t.d == dialectGo && t.inDrop() && (!strings.HasPrefix(s, "(?") || strings.HasPrefix(s, "(?P<")) {
		return 0, errNoFast
	}
	if !strings.HasPrefix(s, "(?") {
		g.capture = true
		t.tr.groups = append(t.tr.groups, "")
		idx := len(t.tr.groups)
		if t.d == dialectNet {
			name := "__g" + strconv.Itoa(idx)
			t.tr.groups[idx-1] = name
			t.out.WriteString("(?<" + name + ">")
		} else {
			t.out.WriteByte('(')
		}
		g.bodyPos = t.out.Len()
		t.stack = append(t.stack, g)
		return 1, nil
	}
	rest := s[2:]
	switch {
	case strings.HasPrefix(rest, "P<"):
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return 0, errors.New("bad group name")
		}
		name := rest[2:end]
		g.capture, g.name = true, name
		t.tr.groups = append(t.tr.groups, name)
		t.emit("(?P<"+name+">", "(?<"+name+">")
		g.bodyPos = t.out.Len()
		t.stack = append(t.stack, g)
		return 2 + end + 1, nil
	case strings.HasPrefix(rest, "P="):
		return t.backref(rest)
	case strings.HasPrefix(rest, "#"):
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return 0, errors.New("unterminated comment")
		}
		return end + 1, nil
	case strings.HasPrefix(rest, "="), strings.HasPrefix(rest, "!"),
		strings.HasPrefix(rest, "<="), strings.HasPrefix(rest, "<!"):
		return t.lookaround(s, g)
	case strings.HasPrefix(rest, "("), strings.HasPrefix(rest, ">"):
		if t.d == dialectGo {
			return 0, errNoFast
		}
		t.out.WriteString(s[:3])
		t.stack = append(t.stack, g)
		return 3, nil
	case strings.HasPrefix(rest, ":"):
		t.out.WriteString("(?:")
		t.stack = append(t.stack, g)
		return 3, nil
	}
	return t.flags(s, g)
}

func (t *translator) lookaround(s string, g openGroup) (int, error) {
	n := 3
	if s[2] == '<' {
		n = 4
	}
	if t.d == dialectGo {
		g.drop = true
		t.tr.needExact = true
	}
	t.out.WriteString(s[:n])
	t.stack = append(t.stack, g)
	return n, nil
}

// flags translates (?imsx) and (?i:…); Go and regexp2 know no `u` (Unicode
// is their default) and Go no `a`, `L` or `x`.
func (t *translator) flags(s string, g openGroup) (int, error) {
	i := 2
	for i < len(s) && strings.IndexByte("aiLmsux-", s[i]) >= 0 {
		i++
	}
	if i >= len(s) || (s[i] != ')' && s[i] != ':') {
		return 0, errors.New("unknown extension " + strconv.Quote(s[:min(len(s), 3)]))
	}
	var keep strings.Builder
	for _, c := range s[2:i] {
		switch c {
		case 'u':
		case 'a', 'L', 'x':
			if t.d == dialectGo {
				return 0, errNoFast
			}
			if c == 'x' {
				keep.WriteRune(c)
			}
		default:
			keep.WriteRune(c)
		}
	}
	f := strings.TrimSuffix(keep.String(), "-")
	if s[i] == ')' {
		if f != "" {
			t.out.WriteString("(?" + f + ")")
		}
		return i + 1, nil
	}
	if f == "" {
		t.out.WriteString("(?:")
	} else {
		t.out.WriteString("(?" + f + ":")
	}
	t.stack = append(t.stack, g)
	return i + 1, nil
}

// backref translates (?P=name): regexp2 has \k<name>; the Go form is a
// capture of the referenced group's own regex, compared in code.
func (t *translator) backref(rest string) (int, error) {
	end := strings.IndexByte(rest, ')')
	if end < 0 {
		return 0, errors.New("bad back-reference")
	}
	name := rest[2:end]
	n := 2 + end + 1
	if t.d == dialectNet {
		t.out.WriteString(`\k<` + name + `>`)
		return n, nil
	}
	body, ok := t.saved[name]
	if !ok || strings.ContainsRune(body, '(') {
		return 0, errNoFast
	}
	t.nsynth++
	synth := "__br" + strconv.Itoa(t.nsynth)
	t.out.WriteString("(?P<" + synth + ">" + body + ")")
	t.tr.backrefs = append(t.tr.backrefs, [2]string{name, synth})
	return n, nil
}

func (t *translator) close() error {
	if len(t.stack) == 0 {
		return errors.New("unbalanced )")
	}
	g := t.stack[len(t.stack)-1]
	t.stack = t.stack[:len(t.stack)-1]
	if g.drop {
		s := t.out.String()[:g.outPos]
		t.out.Reset()
		t.out.WriteString(s)
		return nil
	}
	if g.name != "" {
		t.saved[g.name] = t.out.String()[g.bodyPos:]
	}
	t.out.WriteByte(')')
	return nil
}

func (t *translator) inDrop() bool {
	for _, g := range t.stack {
		if g.drop {
			return true
		}
	}
	return false
}
