package jail

import (
	"fmt"
	"math"
	"strings"
)

func (p *exprParser) atom() (expr, error) {
	t := p.peek()
	switch {
	case t == "":
		return nil, fmt.Errorf("%w: unexpected end", errExpr)
	case t == "(":
		p.pos++
		e, err := p.ternary()
		if err != nil {
			return nil, err
		}
		return e, p.expect(")")
	case isDigit(t[0]) || t[0] == '.':
		p.pos++
		n, err := parseNumber(t)
		return func(*exprEnv) (num, error) { return n, nil }, err
	case isIdentStart(t[0]):
		return p.name()
	}
	return nil, fmt.Errorf("%w: unexpected %q", errExpr, t)
}

// name parses a dotted name, then either a call or a variable.
func (p *exprParser) name() (expr, error) {
	parts := []string{p.toks[p.pos]}
	p.pos++
	for p.peek() == "." && p.pos+1 < len(p.toks) && isIdentStart(p.toks[p.pos+1][0]) {
		parts = append(parts, p.toks[p.pos+1])
		p.pos += 2
	}
	n := strings.Join(parts, ".")
	if p.accept("(") {
		return p.call(n)
	}
	return variable(n)
}

func variable(n string) (expr, error) {
	var get func(env *exprEnv) num
	switch n {
	case "ban.Time":
		get = func(env *exprEnv) num { return env.banTime }
	case "ban.Count":
		get = func(env *exprEnv) num { return env.banCount }
	case "banFactor":
		get = func(env *exprEnv) num { return env.banFactor }
	case "math.e":
		get = func(*exprEnv) num { return floatNum(math.E) }
	case "math.pi":
		get = func(*exprEnv) num { return floatNum(math.Pi) }
	case "True":
		get = func(*exprEnv) num { return intNum(1) }
	case "False":
		get = func(*exprEnv) num { return intNum(0) }
	default:
		return nil, fmt.Errorf("%w: name %q", errExpr, n)
	}
	return func(env *exprEnv) (num, error) { return get(env), nil }, nil
}

func (p *exprParser) call(fn string) (expr, error) {
	f, ok := exprFuncs[fn]
	if !ok {
		return nil, fmt.Errorf("%w: function %q", errExpr, fn)
	}
	var args []expr
	for !p.accept(")") {
		if len(args) > 0 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		a, err := p.ternary()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	return func(env *exprEnv) (num, error) {
		vals := make([]num, len(args))
		for i, a := range args {
			v, err := a(env)
			if err != nil {
				return num{}, err
			}
			vals[i] = v
		}
		return f(env, vals)
	}, nil
}

type exprFunc func(env *exprEnv, args []num) (num, error)

var exprFuncs = map[string]exprFunc{
	"math.exp":      floatFunc1(math.Exp),
	"math.sqrt":     floatFunc1(math.Sqrt),
	"math.log":      mathLog,
	"math.log2":     floatFunc1(math.Log2),
	"math.log10":    floatFunc1(math.Log10),
	"math.floor":    intFunc1(math.Floor),
	"math.ceil":     intFunc1(math.Ceil),
	"math.pow":      mathPow,
	"float":         floatFunc1(func(x float64) float64 { return x }),
	"int":           intFunc1(math.Trunc),
	"round":         intFunc1(math.RoundToEven),
	"abs":           absFunc,
	"min":           minMax(func(a, b num) bool { return compareNums("<", a, b) }),
	"max":           minMax(func(a, b num) bool { return compareNums(">", a, b) }),
	"random.random": randomFunc,
}

func wantArgs(args []num, n int) error {
	if len(args) != n {
		return fmt.Errorf("%w: want %d argument(s), got %d", errExpr, n, len(args))
	}
	return nil
}

func floatFunc1(f func(float64) float64) exprFunc {
	return func(_ *exprEnv, args []num) (num, error) {
		if err := wantArgs(args, 1); err != nil {
			return num{}, err
		}
		return floatNum(f(args[0].f)), nil
	}
}

func intFunc1(f func(float64) float64) exprFunc {
	return func(_ *exprEnv, args []num) (num, error) {
		if err := wantArgs(args, 1); err != nil {
			return num{}, err
		}
		if args[0].isInt {
			return args[0], nil
		}
		return toInt(f(args[0].f))
	}
}

func toInt(f float64) (num, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) >= 1<<63 {
		return num{}, fmt.Errorf("%w: cannot convert %v to int", errExpr, f)
	}
	return intNum(int64(f)), nil
}

func mathLog(_ *exprEnv, args []num) (num, error) {
	switch len(args) {
	case 1:
		return floatNum(math.Log(args[0].f)), nil
	case 2:
		return floatNum(math.Log(args[0].f) / math.Log(args[1].f)), nil
	}
	return num{}, wantArgs(args, 1)
}

func mathPow(_ *exprEnv, args []num) (num, error) {
	if err := wantArgs(args, 2); err != nil {
		return num{}, err
	}
	return floatNum(math.Pow(args[0].f, args[1].f)), nil
}

func absFunc(_ *exprEnv, args []num) (num, error) {
	if err := wantArgs(args, 1); err != nil {
		return num{}, err
	}
	if args[0].isInt {
		if args[0].i < 0 {
			return intNum(-args[0].i), nil
		}
		return args[0], nil
	}
	return floatNum(math.Abs(args[0].f)), nil
}

func minMax(better func(a, b num) bool) exprFunc {
	return func(_ *exprEnv, args []num) (num, error) {
		if len(args) == 0 {
			return num{}, fmt.Errorf("%w: min/max of nothing", errExpr)
		}
		r := args[0]
		for _, a := range args[1:] {
			if better(a, r) {
				r = a
			}
		}
		return r, nil
	}
}

func randomFunc(env *exprEnv, args []num) (num, error) {
	if err := wantArgs(args, 0); err != nil {
		return num{}, err
	}
	return floatNum(env.random()), nil
}
