package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeData parses a data column (BLOB or TEXT). Like fail2ban it is
// forgiving: NULL or malformed JSON yields empty data and an error the
// caller only logs, so one bad row never stops a restore.
//
// It is a small hand-written JSON reader rather than encoding/json because
// a restart restores up to a million rows and this parse dominated it; the
// fuzz test checks it against an encoding/json reference.
func decodeData(raw []byte) (Data, error) {
	p := parser{s: raw}
	p.ws()
	if p.i == len(p.s) {
		return Data{noFailures: true}, nil
	}
	d, err := p.object()
	if err != nil {
		return Data{noFailures: true}, err
	}
	return d, nil
}

var errSyntax = errors.New("invalid JSON in ban data")

type parser struct {
	s []byte
	i int
}

func (p *parser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// next skips blanks and returns the next byte (0 at the end).
func (p *parser) next() byte {
	p.ws()
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) expect(c byte) error {
	if p.next() != c {
		return fmt.Errorf("%w: want %q at offset %d", errSyntax, c, p.i)
	}
	p.i++
	return nil
}

func (p *parser) object() (Data, error) {
	d := Data{noFailures: true}
	if err := p.expect('{'); err != nil {
		return d, err
	}
	if p.next() == '}' {
		p.i++
		return d, nil
	}
	for {
		if err := p.field(&d); err != nil {
			return d, err
		}
		switch p.next() {
		case ',':
			p.i++
		case '}':
			p.i++
			return d, nil
		default:
			return d, fmt.Errorf("%w: want ',' or '}' at offset %d", errSyntax, p.i)
		}
	}
}

func (p *parser) field(d *Data) error {
	if p.next() != '"' {
		return fmt.Errorf("%w: want key at offset %d", errSyntax, p.i)
	}
	key, err := p.str()
	if err != nil {
		return err
	}
	if err := p.expect(':'); err != nil {
		return err
	}
	if key == "matches" && p.next() == '[' {
		m, err := p.matches()
		d.Matches = m
		return err
	}
	v, err := p.value()
	if err != nil {
		return err
	}
	switch key {
	case "matches":
		d.Matches = toMatches(v)
	case "failures":
		if n, ok := v.(int64); ok {
			d.Failures, d.noFailures = int(n), false
		}
	default:
		d.Fields = append(d.Fields, Field{Key: key, Value: v})
	}
	return nil
}

func (p *parser) value() (any, error) {
	switch c := p.next(); {
	case c == '"':
		return p.str()
	case c == '[':
		return p.array()
	case c == '{':
		return p.rawObject()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	for _, lit := range []struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if bytes.HasPrefix(p.s[p.i:], []byte(lit.text)) {
			p.i += len(lit.text)
			return lit.v, nil
		}
	}
	return nil, fmt.Errorf("%w: unexpected value at offset %d", errSyntax, p.i)
}

func (p *parser) array() ([]any, error) {
	p.i++ // '['
	out := []any{}
	if p.next() == ']' {
		p.i++
		return out, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		switch p.next() {
		case ',':
			p.i++
		case ']':
			p.i++
			return out, nil
		default:
			return nil, fmt.Errorf("%w: want ',' or ']' at offset %d", errSyntax, p.i)
		}
	}
}

// number keeps integers as int64, other numbers as float64, and numbers out
// of float range as their text.
func (p *parser) number() (any, error) {
	start := p.i
	for p.i < len(p.s) && bytes.IndexByte([]byte("+-0123456789.eE"), p.s[p.i]) >= 0 {
		p.i++
	}
	text := string(p.s[start:p.i])
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err == nil {
		return f, nil
	}
	if errors.Is(err, strconv.ErrRange) {
		return json.RawMessage(text), nil
	}
	return nil, fmt.Errorf("%w: bad number %q", errSyntax, text)
}

// rawObject keeps a nested object as compact JSON text.
func (p *parser) rawObject() (any, error) {
	start := p.i
	depth := 0
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '"':
			if _, err := p.str(); err != nil {
				return nil, err
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		p.i++
		if depth == 0 {
			var b bytes.Buffer
			if err := json.Compact(&b, p.s[start:p.i]); err != nil {
				return nil, fmt.Errorf("%w: %v", errSyntax, err)
			}
			return json.RawMessage(b.Bytes()), nil
		}
	}
	return nil, fmt.Errorf("%w: unterminated object", errSyntax)
}

// str reads a JSON string at p.i (which holds '"').
func (p *parser) str() (string, error) {
	p.i++
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			s := string(p.s[start:p.i])
			p.i++
			return s, nil
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return p.slowStr(start)
		}
		p.i++
	}
	return "", fmt.Errorf("%w: unterminated string", errSyntax)
}

// slowStr handles escapes and non-ASCII like encoding/json: invalid UTF-8
// and unpaired surrogates become U+FFFD.
func (p *parser) slowStr(start int) (string, error) {
	b := append([]byte(nil), p.s[start:p.i]...)
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < 0x20:
			return "", fmt.Errorf("%w: control character in string", errSyntax)
		case c == '\\':
			var err error
			if b, err = p.escape(b); err != nil {
				return "", err
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.i++
		default:
			r, size := utf8.DecodeRune(p.s[p.i:])
			b = utf8.AppendRune(b, r)
			p.i += size
		}
	}
	return "", fmt.Errorf("%w: unterminated string", errSyntax)
}

func (p *parser) escape(b []byte) ([]byte, error) {
	if p.i+1 >= len(p.s) {
		return nil, fmt.Errorf("%w: bad escape", errSyntax)
	}
	c := p.s[p.i+1]
	if r, ok := map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[c]; ok {
		p.i += 2
		return append(b, r), nil
	}
	if c != 'u' {
		return nil, fmt.Errorf("%w: bad escape", errSyntax)
	}
	r := p.u4(p.i)
	if r < 0 {
		return nil, fmt.Errorf("%w: bad \\u escape", errSyntax)
	}
	p.i += 6
	if utf16.IsSurrogate(r) {
		if r2 := p.u4(p.i); r2 >= 0 {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				p.i += 6
				return utf8.AppendRune(b, dec), nil
			}
		}
		r = utf8.RuneError
	}
	return utf8.AppendRune(b, r), nil
}

// u4 decodes the \uXXXX escape at i, or returns -1.
func (p *parser) u4(i int) rune {
	if i+6 > len(p.s) || p.s[i] != '\\' || p.s[i+1] != 'u' {
		return -1
	}
	n, err := strconv.ParseUint(string(p.s[i+2:i+6]), 16, 32)
	if err != nil {
		return -1
	}
	return rune(n)
}

// matches reads the "matches" list straight into Match values (the hot
// path of a restore), with toMatches' rules: strings are whole lines,
// lists are split lines whose non-string parts read as "", anything else
// is skipped.
func (p *parser) matches() ([]Match, error) {
	p.i++ // '['
	out := []Match{}
	if p.next() == ']' {
		p.i++
		return out, nil
	}
	for {
		switch p.next() {
		case '"':
			s, err := p.str()
			if err != nil {
				return nil, err
			}
			out = append(out, Match{s})
		case '[':
			m, err := p.splitLine()
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		default:
			if _, err := p.value(); err != nil {
				return nil, err
			}
		}
		switch p.next() {
		case ',':
			p.i++
		case ']':
			p.i++
			return out, nil
		default:
			return nil, fmt.Errorf("%w: want ',' or ']' at offset %d", errSyntax, p.i)
		}
	}
}

func (p *parser) splitLine() (Match, error) {
	p.i++ // '['
	m := make(Match, 0, 3)
	if p.next() == ']' {
		p.i++
		return m, nil
	}
	for {
		var s string
		if p.next() == '"' {
			var err error
			if s, err = p.str(); err != nil {
				return nil, err
			}
		} else if _, err := p.value(); err != nil {
			return nil, err
		}
		m = append(m, s)
		switch p.next() {
		case ',':
			p.i++
		case ']':
			p.i++
			return m, nil
		default:
			return nil, fmt.Errorf("%w: want ',' or ']' at offset %d", errSyntax, p.i)
		}
	}
}

func toMatches(v any) []Match {
	list, _ := v.([]any)
	out := make([]Match, 0, len(list))
	for _, e := range list {
		switch x := e.(type) {
		case string:
			out = append(out, Match{x})
		case []any:
			m := make(Match, 0, len(x))
			for _, p := range x {
				s, _ := p.(string)
				m = append(m, s)
			}
			out = append(out, m)
		}
	}
	return out
}
