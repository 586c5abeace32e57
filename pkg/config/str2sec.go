package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// unitRule is one unit-word rewrite of fail2ban's str2seconds: alternatives
// tried in order, like the regex alternation they mirror.
type unitRule struct {
	words []string
	repl  string
}

var unitRules = []unitRule{
	{[]string{"days", "day", "da", "dd", "d"}, "*86400"},
	{[]string{"weeks", "week", "wee", "we", "ww", "w"}, "*604800"},
	{[]string{"months", "month", "mon", "mo"}, "*2629800.0"},
	{[]string{"years", "year", "yea", "ye", "yy", "y"}, "*31557600.0"},
	{[]string{"seconds", "second", "sec", "se", "ss", "s"}, "*1"},
	{[]string{"minutes", "minute", "min", "mi", "mm", "m"}, "*60"},
	{[]string{"hours", "hour", "hou", "ho", "hh", "h"}, "*3600"},
}

// Str2Seconds converts a fail2ban time string ("10m", "1h30m", "1d-1h",
// "3600") to seconds (spec §1.9).
func Str2Seconds(s string) (float64, error) {
	v, err := Str2SecondsValue(s)
	if err != nil {
		return 0, err
	}
	switch n := v.(type) {
	case int64:
		return float64(n), nil
	default:
		return v.(float64), nil
	}
}

// Str2SecondsValue is Str2Seconds keeping Python's result type: int64 for
// integer expressions, float64 when a float is involved ("1mo", "1.5h").
func Str2SecondsValue(s string) (any, error) {
	expr := rewriteTime(s)
	n, err := evalArith(expr)
	if err != nil {
		return nil, fmt.Errorf("invalid time string %q: %w", s, err)
	}
	if n.isFloat {
		return n.f, nil
	}
	return n.i, nil
}

func rewriteTime(s string) string {
	rs := []rune(s)
	var b []rune
	for i, r := range rs {
		if i > 0 && unicode.IsDigit(r) && isASCIILetter(rs[i-1]) {
			b = append(b, ' ')
		}
		b = append(b, r)
	}
	out := string(b)
	for _, u := range unitRules {
		out = applyUnit(out, u)
	}
	return joinNumbers(out)
}

func isASCIILetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }

// applyUnit replaces unit words preceded by a digit or whitespace and
// followed by a word boundary.
func applyUnit(s string, u unitRule) string {
	rs := []rune(s)
	var out []rune
	for i := 0; i < len(rs); {
		if i > 0 && (unicode.IsDigit(rs[i-1]) || isPySpace(rs[i-1])) {
			if n := matchUnit(rs[i:], u.words); n > 0 {
				out = append(out, []rune(u.repl)...)
				i += n
				continue
			}
		}
		out = append(out, rs[i])
		i++
	}
	return string(out)
}

func matchUnit(rs []rune, words []string) int {
	for _, w := range words {
		wr := []rune(w)
		if len(wr) > len(rs) || !strings.EqualFold(string(rs[:len(wr)]), w) {
			continue
		}
		if len(wr) == len(rs) || !isWord(rs[len(wr)]) {
			return len(wr)
		}
	}
	return 0
}

// joinNumbers turns whitespace between two digits into '+'
// (non-overlapping, left to right, like re.sub).
func joinNumbers(s string) string {
	rs := []rune(s)
	var out []rune
	for i := 0; i < len(rs); i++ {
		if unicode.IsDigit(rs[i]) {
			j := i + 1
			for j < len(rs) && isPySpace(rs[j]) {
				j++
			}
			if j > i+1 && j < len(rs) && unicode.IsDigit(rs[j]) {
				out = append(out, rs[i], '+', rs[j])
				i = j
				continue
			}
		}
		out = append(out, rs[i])
	}
	return string(out)
}

type num struct {
	isFloat bool
	i       int64
	f       float64
}

func (n num) float() float64 {
	if n.isFloat {
		return n.f
	}
	return float64(n.i)
}

// evalArith evaluates the Python arithmetic subset str2seconds produces:
// int and float literals, + - * / // % **, unary signs and parentheses.
func evalArith(s string) (num, error) {
	p := &arith{s: strings.TrimLeft(s, " \t\f")}
	n, err := p.expr()
	if err != nil {
		return num{}, err
	}
	p.space()
	if p.pos != len(p.s) {
		return num{}, fmt.Errorf("invalid syntax at %q", p.s[p.pos:])
	}
	return n, nil
}

type arith struct {
	s     string
	pos   int
	depth int
}

func (p *arith) space() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\f') {
		p.pos++
	}
}

func (p *arith) eat(op string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.pos:], op) {
		p.pos += len(op)
		return true
	}
	return false
}

func (p *arith) expr() (num, error) {
	a, err := p.term()
	for err == nil {
		var op byte
		switch {
		case p.eat("+"):
			op = '+'
		case p.eat("-"):
			op = '-'
		default:
			return a, nil
		}
		var b num
		if b, err = p.term(); err == nil {
			a, err = binop(op, a, b)
		}
	}
	return a, err
}

func (p *arith) term() (num, error) {
	a, err := p.factor()
	for err == nil {
		var op byte
		switch {
		case p.eat("//"):
			op = 'd'
		case p.eat("/"):
			op = '/'
		case p.eat("%"):
			op = '%'
		case strings.HasPrefix(p.s[p.pos:], "**"):
			return a, nil
		case p.eat("*"):
			op = '*'
		default:
			return a, nil
		}
		var b num
		if b, err = p.factor(); err == nil {
			a, err = binop(op, a, b)
		}
	}
	return a, err
}

func (p *arith) factor() (num, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 200 {
		return num{}, fmt.Errorf("expression too deeply nested")
	}
	switch {
	case p.eat("+"):
		return p.factor()
	case p.eat("-"):
		n, err := p.factor()
		if n.isFloat {
			n.f = -n.f
		} else {
			n.i = -n.i
		}
		return n, err
	}
	a, err := p.atom()
	if err == nil && p.eat("**") {
		var b num
		if b, err = p.factor(); err == nil {
			a, err = binop('^', a, b)
		}
	}
	return a, err
}

func (p *arith) atom() (num, error) {
	p.space()
	if p.eat("(") {
		n, err := p.expr()
		if err != nil {
			return n, err
		}
		if !p.eat(")") {
			return num{}, fmt.Errorf("missing ')'")
		}
		return n, nil
	}
	return p.number()
}

func (p *arith) number() (num, error) {
	start := p.pos
	isFloat := false
	digits := func() {
		for p.pos < len(p.s) && (isDigitByte(p.s[p.pos]) || (p.s[p.pos] == '_' && p.pos > start && isDigitByte(p.s[p.pos-1]) && p.pos+1 < len(p.s) && isDigitByte(p.s[p.pos+1]))) {
			p.pos++
		}
	}
	digits()
	if p.pos < len(p.s) && p.s[p.pos] == '.' {
		isFloat = true
		p.pos++
		digits()
	}
	lit := p.s[start:p.pos]
	if lit == "" || lit == "." {
		return num{}, fmt.Errorf("invalid syntax at %q", p.s[start:])
	}
	if p.pos < len(p.s) && (p.s[p.pos] == 'e' || p.s[p.pos] == 'E') {
		save := p.pos
		p.pos++
		if p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-') {
			p.pos++
		}
		if p.pos < len(p.s) && isDigitByte(p.s[p.pos]) {
			digits()
			isFloat = true
			lit = p.s[start:p.pos]
		} else {
			p.pos = save
		}
	}
	if p.pos < len(p.s) && (isWord(rune(p.s[p.pos])) || p.s[p.pos] >= 0x80) {
		return num{}, fmt.Errorf("invalid syntax at %q", p.s[start:])
	}
	clean := strings.ReplaceAll(lit, "_", "")
	if isFloat {
		f, err := strconv.ParseFloat(clean, 64)
		return num{isFloat: true, f: f}, err
	}
	if len(clean) > 1 && clean[0] == '0' && strings.Trim(clean, "0") != "" {
		return num{}, fmt.Errorf("leading zeros in decimal integer literals are not permitted")
	}
	i, err := strconv.ParseInt(clean, 10, 64)
	return num{i: i}, err
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func binop(op byte, a, b num) (num, error) {
	if !a.isFloat && !b.isFloat && op != '/' {
		return intOp(op, a.i, b.i)
	}
	x, y := a.float(), b.float()
	switch op {
	case '+':
		return num{isFloat: true, f: x + y}, nil
	case '-':
		return num{isFloat: true, f: x - y}, nil
	case '*':
		return num{isFloat: true, f: x * y}, nil
	case '^':
		return num{isFloat: true, f: math.Pow(x, y)}, nil
	}
	if y == 0 {
		return num{}, fmt.Errorf("division by zero")
	}
	switch op {
	case '/':
		return num{isFloat: true, f: x / y}, nil
	case 'd':
		return num{isFloat: true, f: math.Floor(x / y)}, nil
	default:
		return num{isFloat: true, f: x - y*math.Floor(x/y)}, nil
	}
}

func intOp(op byte, x, y int64) (num, error) {
	switch op {
	case '+':
		return num{i: x + y}, nil
	case '-':
		return num{i: x - y}, nil
	case '*':
		return num{i: x * y}, nil
	case '^':
		if y < 0 {
			return num{isFloat: true, f: math.Pow(float64(x), float64(y))}, nil
		}
		return num{isFloat: false, i: int64(math.Pow(float64(x), float64(y)))}, nil
	}
	if y == 0 {
		return num{}, fmt.Errorf("division by zero")
	}
	q := x / y
	if (x%y != 0) && ((x < 0) != (y < 0)) {
		q--
	}
	if op == 'd' {
		return num{i: q}, nil
	}
	return num{i: x - q*y}, nil
}
