package pyval

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Repr returns exactly what Python 3's repr() prints for v.
func Repr(v any) string {
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

// Str returns what Python 3's str() prints for v: strings as they are,
// exceptions as their message, everything else as Repr.
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *Exception:
		switch len(x.Args) {
		case 0:
			return ""
		case 1:
			if x.Name == "KeyError" {
				return Repr(x.Args[0])
			}
			return Str(x.Args[0])
		default:
			return Repr(Tuple(x.Args))
		}
	}
	return Repr(v)
}

func writeRepr(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *big.Int:
		b.WriteString(x.String())
	case float64:
		b.WriteString(FormatFloat(x))
	case string:
		writeStr(b, x)
	case Bytes:
		writeBytes(b, x)
	case []any:
		writeSeq(b, "[", "]", x)
	case []string:
		items := make([]any, len(x))
		for i, s := range x {
			items[i] = s
		}
		writeSeq(b, "[", "]", items)
	case Tuple:
		if len(x) == 1 {
			b.WriteByte('(')
			writeRepr(b, x[0])
			b.WriteString(",)")
			return
		}
		writeSeq(b, "(", ")", x)
	case Dict:
		b.WriteByte('{')
		for i, it := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, it.Key)
			b.WriteString(": ")
			writeRepr(b, it.Value)
		}
		b.WriteByte('}')
	case Set:
		if len(x) == 0 {
			b.WriteString("set()")
			return
		}
		writeSeq(b, "{", "}", x)
	case FrozenSet:
		if len(x) == 0 {
			b.WriteString("frozenset()")
			return
		}
		b.WriteString("frozenset(")
		writeSeq(b, "{", "}", x)
		b.WriteByte(')')
	case *Exception:
		b.WriteString(x.Name)
		writeSeq(b, "(", ")", x.Args)
	default:
		fmt.Fprintf(b, "<%T %v>", v, v)
	}
}

func writeSeq(b *strings.Builder, open, close string, items []any) {
	b.WriteString(open)
	for i, it := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		writeRepr(b, it)
	}
	b.WriteString(close)
}

// FormatFloat prints f as Python's repr(float) does: the shortest
// round-tripping digits, fixed notation for decimal exponents in [-4, 16),
// scientific (1e-05, 1e+16) outside it, and always a fractional part or
// exponent so that the text reads back as a float.
func FormatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // -d.ddde±XX
	mant, expStr, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expStr)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	var out string
	if exp >= -4 && exp < 16 {
		if exp < 0 {
			out = "0." + strings.Repeat("0", -exp-1) + digits
		} else if len(digits) <= exp+1 {
			out = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
		} else {
			out = digits[:exp+1] + "." + digits[exp+1:]
		}
	} else {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		out = fmt.Sprintf("%se%s%02d", m, sign, exp)
	}
	if neg {
		out = "-" + out
	}
	return out
}

// writeStr prints a str literal the way CPython's unicode_repr does.
func writeStr(b *strings.Builder, s string) {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// Undecodable byte: Python would hold it as a lone surrogate
			// (surrogateescape), which repr prints as \udcXX.
			fmt.Fprintf(b, `\udc%02x`, s[i])
			i++
			continue
		}
		i += size
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(b, `\x%02x`, r)
		case r < 0x7f:
			b.WriteRune(r)
		case isPrintable(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			fmt.Fprintf(b, `\U%08x`, r)
		}
	}
	b.WriteByte(quote)
}

// isPrintable follows Python's str.isprintable for one rune: everything but
// the "Other" and "Separator" categories, space excepted.
func isPrintable(r rune) bool {
	if r == ' ' {
		return true
	}
	if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Cs, unicode.Co, unicode.Zl, unicode.Zp, unicode.Zs) {
		return false
	}
	// Unassigned code points (Cn) are not printable either.
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S)
}

func writeBytes(b *strings.Builder, p []byte) {
	quote := byte('\'')
	if containsByte(p, '\'') && !containsByte(p, '"') {
		quote = '"'
	}
	b.WriteString("b")
	b.WriteByte(quote)
	for _, c := range p {
		switch {
		case c == quote || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(quote)
}

func containsByte(p []byte, c byte) bool {
	for _, x := range p {
		if x == c {
			return true
		}
	}
	return false
}
