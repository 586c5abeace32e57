package jail

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
)

func compareNums(op string, a, b num) bool {
	if a.isInt && b.isInt {
		return cmpResult(op, cmp.Compare(a.i, b.i))
	}
	return cmpResult(op, cmpFloat(a.f, b.f))
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return 2 // NaN: every ordered comparison is false
}

func cmpResult(op string, c int) bool {
	switch op {
	case "<":
		return c == -1
	case ">":
		return c == 1
	case "<=":
		return c == -1 || c == 0
	case ">=":
		return c == 1 || c == 0
	case "==":
		return c == 0
	}
	return c != 0 // "!="
}

// arith applies a binary operator with Python's int/float rules. Integer
// overflow (Python ints are unbounded) falls back to float for + - * **,
// which is exact enough for ban times.
func arith(op string, x, y num) (num, error) {
	if x.isInt && y.isInt {
		return intArith(op, x.i, y.i)
	}
	switch op {
	case "+":
		return floatNum(x.f + y.f), nil
	case "-":
		return floatNum(x.f - y.f), nil
	case "*":
		return floatNum(x.f * y.f), nil
	case "/":
		return floatDiv(x.f, y.f)
	case "//":
		q, err := floatDiv(x.f, y.f)
		return floatNum(math.Floor(q.f)), err
	case "%":
		return floatMod(x.f, y.f)
	case "**":
		return floatNum(math.Pow(x.f, y.f)), nil
	}
	return num{}, fmt.Errorf("%w: %s on float", errExpr, op)
}

func floatDiv(a, b float64) (num, error) {
	if b == 0 {
		return num{}, fmt.Errorf("%w: division by zero", errExpr)
	}
	return floatNum(a / b), nil
}

func floatMod(a, b float64) (num, error) {
	if b == 0 {
		return num{}, fmt.Errorf("%w: modulo by zero", errExpr)
	}
	m := math.Mod(a, b)
	if m != 0 && (m < 0) != (b < 0) {
		m += b
	}
	return floatNum(m), nil
}

func intArith(op string, a, b int64) (num, error) {
	switch op {
	case "+", "-", "*":
		return intAddSubMul(op, a, b), nil
	case "/":
		return floatDiv(float64(a), float64(b))
	case "//", "%":
		return intDivMod(op, a, b)
	case "**":
		return intPow(a, b), nil
	case "<<", ">>":
		return intShift(op, a, b)
	case "&":
		return intNum(a & b), nil
	case "|":
		return intNum(a | b), nil
	}
	return intNum(a ^ b), nil // "^"
}

func intAddSubMul(op string, a, b int64) num {
	var r int64
	var f float64
	switch op {
	case "+":
		r, f = a+b, float64(a)+float64(b)
	case "-":
		r, f = a-b, float64(a)-float64(b)
	default:
		r, f = a*b, float64(a)*float64(b)
	}
	if math.Abs(f) >= 1<<62 && float64(r) != f {
		return floatNum(f)
	}
	return intNum(r)
}

func intDivMod(op string, a, b int64) (num, error) {
	if b == 0 {
		return num{}, fmt.Errorf("%w: integer division by zero", errExpr)
	}
	q, m := a/b, a%b
	if m != 0 && (m < 0) != (b < 0) {
		q--
		m += b
	}
	if op == "//" {
		return intNum(q), nil
	}
	return intNum(m), nil
}

func intPow(a, b int64) num {
	if b < 0 {
		return floatNum(math.Pow(float64(a), float64(b)))
	}
	switch a {
	case 0, 1:
		if b == 0 {
			return intNum(1)
		}
		return intNum(a)
	case -1:
		return intNum(1 - 2*(b&1))
	}
	r := int64(1)
	for range b { // |a| >= 2: overflows within 63 rounds
		hi, lo := bits.Mul64(uint64(abs64(r)), uint64(abs64(a)))
		if hi != 0 || lo >= 1<<63 {
			return floatNum(math.Pow(float64(a), float64(b)))
		}
		r *= a
	}
	return intNum(r)
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func intShift(op string, a, b int64) (num, error) {
	if b < 0 {
		return num{}, fmt.Errorf("%w: negative shift count", errExpr)
	}
	if op == ">>" {
		return intNum(a >> min(b, 63)), nil
	}
	if b >= 63 || (a != 0 && bits.Len64(uint64(abs64(a)))+int(b) >= 63) {
		return floatNum(float64(a) * math.Pow(2, float64(b))), nil
	}
	return intNum(a << b), nil
}
