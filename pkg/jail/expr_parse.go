package jail

import (
	"fmt"
	"slices"
)

// exprParser is a recursive-descent parser following Python's operator
// precedence, from the conditional expression down to atoms.
type exprParser struct {
	toks  []string
	pos   int
	depth int
}

const maxExprDepth = 100

func (p *exprParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *exprParser) accept(t string) bool {
	if p.peek() == t {
		p.pos++
		return true
	}
	return false
}

func (p *exprParser) expect(t string) error {
	if !p.accept(t) {
		return fmt.Errorf("%w: want %q, got %q", errExpr, t, p.peek())
	}
	return nil
}

func (p *exprParser) ternary() (expr, error) {
	if p.depth++; p.depth > maxExprDepth {
		return nil, fmt.Errorf("%w: nested too deeply", errExpr)
	}
	defer func() { p.depth-- }()
	a, err := p.or()
	if err != nil || !p.accept("if") {
		return a, err
	}
	c, err := p.or()
	if err != nil {
		return nil, err
	}
	if err := p.expect("else"); err != nil {
		return nil, err
	}
	b, err := p.ternary()
	if err != nil {
		return nil, err
	}
	return func(env *exprEnv) (num, error) {
		cv, err := c(env)
		if err != nil {
			return num{}, err
		}
		if cv.truthy() {
			return a(env)
		}
		return b(env)
	}, nil
}

func (p *exprParser) or() (expr, error)  { return p.logical("or", p.and, true) }
func (p *exprParser) and() (expr, error) { return p.logical("and", p.not, false) }

// logical parses a chain of "or"/"and" with Python's short-circuit value
// semantics (the deciding operand is the result).
func (p *exprParser) logical(op string, next func() (expr, error), stopOn bool) (expr, error) {
	a, err := next()
	for err == nil && p.accept(op) {
		var b expr
		if b, err = next(); err != nil {
			break
		}
		l := a
		a = func(env *exprEnv) (num, error) {
			v, err := l(env)
			if err != nil || v.truthy() == stopOn {
				return v, err
			}
			return b(env)
		}
	}
	return a, err
}

func (p *exprParser) not() (expr, error) {
	if !p.accept("not") {
		return p.compare()
	}
	if p.depth++; p.depth > maxExprDepth {
		return nil, fmt.Errorf("%w: nested too deeply", errExpr)
	}
	a, err := p.not()
	p.depth--
	if err != nil {
		return nil, err
	}
	return func(env *exprEnv) (num, error) {
		v, err := a(env)
		return boolNum(!v.truthy()), err
	}, nil
}

var compareOps = []string{"<", ">", "<=", ">=", "==", "!="}

// compare handles Python's chained comparisons (a < b < c).
func (p *exprParser) compare() (expr, error) {
	first, err := p.binary(0)
	if err != nil || !slices.Contains(compareOps, p.peek()) {
		return first, err
	}
	var ops []string
	operands := []expr{first}
	for slices.Contains(compareOps, p.peek()) {
		ops = append(ops, p.toks[p.pos])
		p.pos++
		e, err := p.binary(0)
		if err != nil {
			return nil, err
		}
		operands = append(operands, e)
	}
	return func(env *exprEnv) (num, error) {
		l, err := operands[0](env)
		for i, op := range ops {
			if err != nil {
				return num{}, err
			}
			r, err2 := operands[i+1](env)
			if err2 != nil {
				return num{}, err2
			}
			if !compareNums(op, l, r) {
				return boolNum(false), nil
			}
			l = r
		}
		return boolNum(true), err
	}, nil
}

// binaryLevels lists the left-associative binary operators from the
// loosest to the tightest binding.
var binaryLevels = [][]string{{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "//", "%"}}

func (p *exprParser) binary(level int) (expr, error) {
	if level == len(binaryLevels) {
		return p.unary()
	}
	a, err := p.binary(level + 1)
	for err == nil && slices.Contains(binaryLevels[level], p.peek()) {
		op := p.toks[p.pos]
		p.pos++
		var b expr
		if b, err = p.binary(level + 1); err != nil {
			break
		}
		a = binaryExpr(op, a, b)
	}
	return a, err
}

func binaryExpr(op string, a, b expr) expr {
	return func(env *exprEnv) (num, error) {
		x, err := a(env)
		if err != nil {
			return num{}, err
		}
		y, err := b(env)
		if err != nil {
			return num{}, err
		}
		return arith(op, x, y)
	}
}

func (p *exprParser) unary() (expr, error) {
	for _, op := range []string{"-", "+", "~"} {
		if p.accept(op) {
			if p.depth++; p.depth > maxExprDepth {
				return nil, fmt.Errorf("%w: nested too deeply", errExpr)
			}
			a, err := p.unary()
			p.depth--
			if err != nil {
				return nil, err
			}
			return unaryExpr(op, a), nil
		}
	}
	return p.power()
}

func unaryExpr(op string, a expr) expr {
	return func(env *exprEnv) (num, error) {
		v, err := a(env)
		if err != nil {
			return num{}, err
		}
		switch {
		case op == "+":
			return v, nil
		case op == "~" && v.isInt:
			return intNum(^v.i), nil
		case op == "~":
			return num{}, fmt.Errorf("%w: ~ on float", errExpr)
		case v.isInt:
			return intNum(-v.i), nil
		}
		return floatNum(-v.f), nil
	}
}

// power binds tighter than a unary minus on its left (-2**2 == -4) and
// looser on its right (2**-1 == 0.5).
func (p *exprParser) power() (expr, error) {
	a, err := p.atom()
	if err != nil || !p.accept("**") {
		return a, err
	}
	b, err := p.unary()
	if err != nil {
		return nil, err
	}
	return binaryExpr("**", a, b), nil
}
