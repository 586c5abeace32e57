package config

import (
	"strings"
	"unicode/utf8"

	"github.com/f2b/f2b/pkg/pyval"
)

// pformat mirrors Python's pprint.pformat(v, width=1000, indent=2), which
// fail2ban-client --dp prints: a value whose repr fits stays on one line,
// longer lists put one item per line, longer strings are split at
// whitespace into adjacent literals.
func pformat(v any) string {
	p := &pprinter{width: 1000, indent: 2}
	p.format(v, 0, 0, 0)
	return p.b.String()
}

type pprinter struct {
	b             strings.Builder
	width, indent int
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

func (p *pprinter) format(v any, indent, allowance, level int) {
	rep := pyval.Repr(v)
	if runeLen(rep) > p.width-indent-allowance {
		switch x := v.(type) {
		case []any:
			p.list(x, indent, allowance, level+1)
			return
		case string:
			p.str(x, rep, indent, allowance, level+1)
			return
		}
	}
	p.b.WriteString(rep)
}

func (p *pprinter) list(items []any, indent, allowance, level int) {
	p.b.WriteByte('[')
	indent += p.indent
	p.b.WriteString(strings.Repeat(" ", p.indent-1))
	delimNL := ",\n" + strings.Repeat(" ", indent)
	for i, it := range items {
		if i > 0 {
			p.b.WriteString(delimNL)
		}
		a := 1
		if i == len(items)-1 {
			a = allowance + 1
		}
		p.format(it, indent, a, level)
	}
	p.b.WriteByte(']')
}

func (p *pprinter) str(s, rep string, indent, allowance, level int) {
	if s == "" {
		p.b.WriteString(rep)
		return
	}
	if level == 1 {
		indent++
		allowance++
	}
	maxWidth := p.width - indent
	lines := splitLinesKeep(s)
	var chunks []string
	for i, line := range lines {
		max1 := maxWidth
		if i == len(lines)-1 {
			max1 -= allowance
		}
		r := pyval.Repr(line)
		if runeLen(r) <= max1 {
			chunks = append(chunks, r)
			continue
		}
		chunks = p.splitWords(chunks, line, maxWidth, allowance, i == len(lines)-1)
	}
	if len(chunks) == 1 {
		p.b.WriteString(rep)
		return
	}
	if level == 1 {
		p.b.WriteByte('(')
	}
	for i, c := range chunks {
		if i > 0 {
			p.b.WriteString("\n" + strings.Repeat(" ", indent))
		}
		p.b.WriteString(c)
	}
	if level == 1 {
		p.b.WriteByte(')')
	}
}

func (p *pprinter) splitWords(chunks []string, line string, maxWidth, allowance int, lastLine bool) []string {
	parts := wordParts(line)
	current := ""
	for j, part := range parts {
		candidate := current + part
		max2 := maxWidth
		if j == len(parts)-1 && lastLine {
			max2 -= allowance
		}
		if runeLen(pyval.Repr(candidate)) > max2 {
			if current != "" {
				chunks = append(chunks, pyval.Repr(current))
			}
			current = part
		} else {
			current = candidate
		}
	}
	if current != "" {
		chunks = append(chunks, pyval.Repr(current))
	}
	return chunks
}

// wordParts is re.findall(r'\S*\s*', s) without the final empty match.
func wordParts(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexFunc(s, isPySpace)
		if i < 0 {
			out = append(out, s)
			break
		}
		j := i + strings.IndexFunc(s[i:], func(r rune) bool { return !isPySpace(r) })
		if j < i {
			out = append(out, s)
			break
		}
		out = append(out, s[:j])
		s = s[j:]
	}
	return out
}

// splitLinesKeep is str.splitlines(True).
func splitLinesKeep(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if i < start {
			continue
		}
		switch r {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			end := i + utf8.RuneLen(r)
			if r == '\r' && end < len(s) && s[end] == '\n' {
				end++
			}
			out = append(out, s[start:end])
			start = end
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
