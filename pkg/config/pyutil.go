package config

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// jsonDumps is Python's json.dumps of a str->str dict (ASCII-only output,
// ", " and ": " separators).
func jsonDumps(args []Arg) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		jsonString(&b, a.Key)
		b.WriteString(": ")
		jsonString(&b, a.Value)
	}
	b.WriteByte('}')
	return b.String()
}

func jsonString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r < 0x20 || (r >= 0x7f && r < 0x10000):
				if r < 0x7f {
					fmt.Fprintf(b, `\u%04x`, r)
				} else if r == 0x7f {
					b.WriteRune(r)
				} else {
					fmt.Fprintf(b, `\u%04x`, r)
				}
			case r >= 0x10000:
				r -= 0x10000
				fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

var errNoClosingQuote = errors.New("No closing quotation")
var errNoEscaped = errors.New("No escaped character")

// shlexSplit is Python's shlex.split (POSIX mode, no comments).
func shlexSplit(s string) ([]string, error) {
	var out []string
	var tok strings.Builder
	inTok := false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inTok {
				out = append(out, tok.String())
				tok.Reset()
				inTok = false
			}
		case r == '\\':
			if i+1 >= len(rs) {
				return nil, errNoEscaped
			}
			i++
			tok.WriteRune(rs[i])
			inTok = true
		case r == '\'':
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j >= len(rs) {
				return nil, errNoClosingQuote
			}
			tok.WriteString(string(rs[i+1 : j]))
			i, inTok = j, true
		case r == '"':
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && (rs[j+1] == '"' || rs[j+1] == '\\') {
					j++
				}
				tok.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, errNoClosingQuote
			}
			i, inTok = j, true
		default:
			tok.WriteRune(r)
			inTok = true
		}
	}
	if inTok {
		out = append(out, tok.String())
	}
	return out, nil
}

func hasMagic(s string) bool { return strings.ContainsAny(s, "*?[") }

// pyGlob is Python's glob.glob (non-recursive): names starting with '.'
// only match patterns starting with '.', results in directory order.
func pyGlob(pattern string) []string {
	dir, base := splitPath(pattern)
	if !hasMagic(pattern) {
		if base != "" {
			if _, err := os.Lstat(pattern); err == nil {
				return []string{pattern}
			}
		} else if isDir(dir) {
			return []string{pattern}
		}
		return nil
	}
	if dir == "" {
		return glob1("", base, false)
	}
	dirs := []string{dir}
	if dir != pattern && hasMagic(dir) {
		dirs = pyGlobDirs(dir)
	}
	var out []string
	for _, d := range dirs {
		var names []string
		if hasMagic(base) {
			names = glob1(d, base, false)
		} else if base == "" {
			if isDir(d) {
				names = []string{""}
			}
		} else if _, err := os.Lstat(pyJoin(d, base)); err == nil {
			names = []string{base}
		}
		for _, n := range names {
			out = append(out, pyJoin(d, n))
		}
	}
	return out
}

// pyGlobDirs globs a pattern keeping only directories.
func pyGlobDirs(pattern string) []string {
	dir, base := splitPath(pattern)
	if !hasMagic(pattern) {
		if isDir(pattern) {
			return []string{pattern}
		}
		return nil
	}
	dirs := []string{dir}
	if dir == "" {
		return glob1("", base, true)
	}
	if dir != pattern && hasMagic(dir) {
		dirs = pyGlobDirs(dir)
	}
	var out []string
	for _, d := range dirs {
		var names []string
		if hasMagic(base) {
			names = glob1(d, base, true)
		} else if isDir(pyJoin(d, base)) {
			names = []string{base}
		}
		for _, n := range names {
			out = append(out, pyJoin(d, n))
		}
	}
	return out
}

func isDir(p string) bool {
	if p == "" {
		p = "."
	}
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// splitPath is os.path.split.
func splitPath(p string) (string, string) {
	i := strings.LastIndexByte(p, '/')
	head, tail := p[:i+1], p[i+1:]
	if t := strings.TrimRight(head, "/"); t != "" {
		head = t
	}
	return head, tail
}

func glob1(dir, pattern string, dirOnly bool) []string {
	d := dir
	if d == "" {
		d = "."
	}
	f, err := os.Open(d)
	if err != nil {
		return nil
	}
	names, _ := f.Readdirnames(-1)
	f.Close()
	re := fnmatchRE(pattern)
	var out []string
	for _, n := range names {
		if pattern[0] != '.' && strings.HasPrefix(n, ".") {
			continue
		}
		if !re.MatchString(n) {
			continue
		}
		if dirOnly && !isDir(pyJoin(d, n)) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// fnmatchRE translates an fnmatch pattern ('*', '?', '[seq]', '[!seq]').
func fnmatchRE(pat string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := i + 1
			if j < len(rs) && rs[j] == '!' {
				j++
			}
			if j < len(rs) && rs[j] == ']' {
				j++
			}
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			if j >= len(rs) {
				b.WriteString(`\[`)
				continue
			}
			body := rs[i+1 : j]
			neg := len(body) > 0 && body[0] == '!'
			if neg {
				body = body[1:]
			}
			b.WriteString(charClass(body, neg))
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(`^\x00never$`)
	}
	return re
}

func charClass(body []rune, neg bool) string {
	var b strings.Builder
	b.WriteByte('[')
	if neg {
		b.WriteByte('^')
	}
	for i := 0; i < len(body); i++ {
		if i+2 < len(body) && body[i+1] == '-' {
			if body[i] <= body[i+2] {
				b.WriteString(regexp.QuoteMeta(string(body[i])) + "-" + regexp.QuoteMeta(string(body[i+2])))
			}
			i += 2
			continue
		}
		b.WriteString(regexp.QuoteMeta(string(body[i])))
	}
	if b.Len() == 1 || (neg && b.Len() == 2) {
		if neg {
			return "(?:.)"
		}
		return "(?:[^\\x00-\\x{10FFFF}])"
	}
	b.WriteByte(']')
	return b.String()
}

// lower is strings.ToLower for option names, which are nearly always
// lower-case ASCII already: it checks eight bytes at a time for a byte
// that is upper-case or not ASCII, and only then lowers (strings.ToLower
// checks byte by byte; option names are lowered thousands of times a
// load).
func lower(s string) string {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if w&highs != 0 {
			return strings.ToLower(s)
		}
		// With every byte below 0x80: the high bit of a byte is set in
		// both terms exactly when it is above '@' and below '['.
		if (w+ones*(0x80-'A'))&(ones*(0x80+'Z')-w)&highs != 0 {
			return strings.ToLower(s)
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}
