package jail

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// This file evaluates bantime.formula and bantime.factor. fail2ban runs
// them through Python's eval; we accept the arithmetic subset such
// formulas use (numbers, ban.Time, ban.Count, banFactor, math.*,
// + - * / // % ** << >> & | ^, comparisons, and/or/not, "a if c else b",
// min/max/abs/int/float/round) and nothing else, so a config value can
// never run code.

// num is a Python int or float.
type num struct {
	f     float64
	i     int64
	isInt bool
}

func intNum(i int64) num     { return num{i: i, f: float64(i), isInt: true} }
func floatNum(f float64) num { return num{f: f} }
func boolNum(b bool) num {
	if b {
		return intNum(1)
	}
	return intNum(0)
}

func (n num) truthy() bool { return n.f != 0 }

// exprEnv holds the names a formula may read.
type exprEnv struct {
	banTime   num
	banCount  num
	banFactor num
	random    func() float64
}

type expr func(env *exprEnv) (num, error)

// errExpr marks a formula the evaluator does not accept.
var errExpr = errors.New("unsupported expression")

// compileExpr parses src once; the result is evaluated per ban.
func compileExpr(src string) (expr, error) {
	toks, err := lexExpr(src)
	if err != nil {
		return nil, fmt.Errorf("expression %q: %w", src, err)
	}
	p := &exprParser{toks: toks}
	e, err := p.ternary()
	if err == nil && p.pos < len(p.toks) {
		err = fmt.Errorf("%w: unexpected %q", errExpr, p.toks[p.pos])
	}
	if err != nil {
		return nil, fmt.Errorf("expression %q: %w", src, err)
	}
	return e, nil
}

func lexExpr(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isDigit(c) || (c == '.' && i+1 < len(s) && isDigit(s[i+1])):
			j := scanNumber(s, i)
			toks = append(toks, s[i:j])
			i = j
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && (isIdentStart(s[j]) || isDigit(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			op := lexOp(s[i:])
			if op == "" {
				return nil, fmt.Errorf("%w: character %q", errExpr, c)
			}
			toks = append(toks, op)
			i += len(op)
		}
	}
	return toks, nil
}

func lexOp(s string) string {
	for _, op := range []string{"**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+", "-", "*", "/", "%", "(", ")", "<", ">", "&", "|", "^", "~", ",", "."} {
		if strings.HasPrefix(s, op) {
			return op
		}
	}
	return ""
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }

func scanNumber(s string, i int) int {
	for i < len(s) && (isDigit(s[i]) || s[i] == '.' || s[i] == '_') {
		i++
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return i
}

func parseNumber(t string) (num, error) {
	t = strings.ReplaceAll(t, "_", "")
	if len(t) > 1 && t[0] == '0' && strings.Trim(t, "0123456789") == "" && strings.Trim(t, "0") != "" {
		return num{}, fmt.Errorf("%w: leading zeros in %q", errExpr, t)
	}
	if i, err := strconv.ParseInt(t, 10, 64); err == nil {
		return intNum(i), nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return num{}, fmt.Errorf("%w: number %q", errExpr, t)
	}
	return floatNum(f), nil
}
