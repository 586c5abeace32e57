package datedetect

import (
	"errors"
	"strconv"
	"strings"
)

// Python's Unicode \w and \s, spelled for Go's regexp and for regexp2.
const (
	wordClass     = `\p{L}\p{N}_`
	goSpaceClass  = `\t\n\v\f\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}`
	netSpaceClass = `\t\n\v\f\r\x1c-\x20\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`
	netWordB      = `(?:(?<=[` + wordClass + `])(?![` + wordClass + `])|(?<![` + wordClass + `])(?=[` + wordClass + `]))`
	netNotWordB   = `(?:(?<=[` + wordClass + `])(?=[` + wordClass + `])|(?<![` + wordClass + `])(?![` + wordClass + `]))`
)

// errNoFast marks a construct the relaxed Go regex cannot carry; the
// template then runs on regexp2 only.
var errNoFast = errors.New("construct needs the exact engine")

// dialect selects the output syntax of translate.
type dialect uint8

const (
	dialectGo  dialect = iota // relaxed, for Go's regexp
	dialectNet                // exact, for regexp2
)

// translation is a Python regex rewritten for one engine.
type translation struct {
	expr      string
	needExact bool     // Go: zero-width assertions were dropped; confirm matches
	caret     bool     // contains ^ or \A (context-dependent start)
	dollar    bool     // contains $ (Python: also before a final \n)
	groups    []string // Python group i+1 → group name in expr
	backrefs  [][2]string
}

// translator walks a Python regex once.
type translator struct {
	src    string
	d      dialect
	out    strings.Builder
	tr     translation
	stack  []openGroup
	saved  map[string]string
	nsynth int
}

type openGroup struct {
	name    string // Python name ("" unnamed or non-capturing)
	capture bool
	drop    bool // Go: look-around dropped from the output
	outPos  int
	bodyPos int
}

// translate rewrites a Python `re` pattern for the given engine.
func translate(src string, d dialect) (translation, error) {
	t := &translator{src: src, d: d, saved: map[string]string{}}
	if err := t.run(); err != nil {
		return translation{}, err
	}
	if len(t.stack) != 0 {
		return translation{}, errors.New("missing )")
	}
	t.tr.expr = t.out.String()
	return t.tr, nil
}

func (t *translator) run() error {
	s := t.src
	for i := 0; i < len(s); {
		var n int
		var err error
		switch c := s[i]; c {
		case '\\':
			n, err = t.escape(s[i:], false)
		case '[':
			n, err = t.class(s[i:])
		case '(':
			n, err = t.open(s[i:])
		case ')':
			n, err = 1, t.close()
		case '$':
			t.tr.dollar = true
			t.emit(`\z`, `(?=\n?\z)`)
			n = 1
		case '^':
			t.tr.caret = true
			t.out.WriteByte('^')
			n = 1
		case '{':
			n = t.brace(s[i:])
		case '*', '+', '?':
			if i+1 < len(s) && s[i+1] == '+' {
				return errors.New("possessive quantifier")
			}
			t.out.WriteByte(c)
			n = 1
		default:
			t.out.WriteByte(c)
			n = 1
		}
		if err != nil {
			return err
		}
		i += n
	}
	return nil
}

func (t *translator) emit(goExpr, netExpr string) {
	if t.d == dialectGo {
		t.out.WriteString(goExpr)
	} else {
		t.out.WriteString(netExpr)
	}
}

// escape translates one backslash escape; inClass selects class syntax.
func (t *translator) escape(s string, inClass bool) (int, error) {
	if len(s) < 2 {
		return 0, errors.New("trailing backslash")
	}
	c := s[1]
	switch c {
	case 'd':
		t.out.WriteString(`\p{Nd}`)
	case 'D':
		t.out.WriteString(`\P{Nd}`)
	case 'w':
		t.wrap(wordClass, inClass, false)
	case 's':
		if t.d == dialectGo {
			t.wrap(goSpaceClass, inClass, false)
		} else {
			t.wrap(netSpaceClass, inClass, false)
		}
	case 'W', 'S':
		if inClass {
			if t.d == dialectGo {
				return 0, errNoFast
			}
			t.out.WriteString(s[:2])
			break
		}
		cls := wordClass
		if c == 'S' {
			cls = map[dialect]string{dialectGo: goSpaceClass, dialectNet: netSpaceClass}[t.d]
		}
		t.wrap(cls, false, true)
	case 'b', 'B':
		if inClass {
			t.out.WriteString(`\x08`)
			break
		}
		if t.d == dialectGo {
			t.tr.needExact = true
		} else if c == 'b' {
			t.out.WriteString(netWordB)
		} else {
			t.out.WriteString(netNotWordB)
		}
	case 'A':
		t.tr.caret = true
		t.out.WriteString(`\A`)
	case 'Z':
		t.out.WriteString(`\z`)
	case 'u', 'U':
		return t.unicodeEscape(s)
	case 'x':
		if len(s) < 4 {
			return 0, errors.New("bad \\x escape")
		}
		t.out.WriteString(s[:4])
		return 4, nil
	default:
		if c >= '0' && c <= '9' {
			if t.d == dialectGo {
				return 0, errNoFast
			}
		}
		t.out.WriteString(s[:2])
	}
	return 2, nil
}

func (t *translator) wrap(cls string, inClass, negate bool) {
	switch {
	case inClass:
		t.out.WriteString(cls)
	case negate:
		t.out.WriteString("[^" + cls + "]")
	default:
		t.out.WriteString("[" + cls + "]")
	}
}

func (t *translator) unicodeEscape(s string) (int, error) {
	n := 4
	if s[1] == 'U' {
		n = 8
	}
	if len(s) < 2+n {
		return 0, errors.New("bad unicode escape")
	}
	v, err := strconv.ParseUint(s[2:2+n], 16, 32)
	if err != nil {
		return 0, errors.New("bad unicode escape")
	}
	if t.d == dialectGo {
		t.out.WriteString(`\x{` + strconv.FormatUint(v, 16) + `}`)
	} else {
		if v > 0xffff {
			return 0, errors.New("astral \\U escape")
		}
		t.out.WriteString(`\u` + s[2:6])
	}
	return 2 + n, nil
}

// class copies a [...] set, translating escapes inside it.
func (t *translator) class(s string) (int, error) {
	t.out.WriteByte('[')
	i := 1
	if i < len(s) && s[i] == '^' {
		t.out.WriteByte('^')
		i++
	}
	if i < len(s) && s[i] == ']' {
		t.out.WriteString(`\]`)
		i++
	}
	for i < len(s) {
		switch s[i] {
		case ']':
			t.out.WriteByte(']')
			return i + 1, nil
		case '\\':
			n, err := t.escape(s[i:], true)
			if err != nil {
				return 0, err
			}
			i += n
		case '[':
			t.out.WriteString(`\[`)
			i++
		default:
			t.out.WriteByte(s[i])
			i++
		}
	}
	return 0, errors.New("unterminated character set")
}

// brace handles Python's {m,n} (with {,n} meaning {0,n}); anything else is a
// literal brace.
func (t *translator) brace(s string) int {
	end := strings.IndexByte(s, '}')
	if end > 0 {
		body := s[1:end]
		lo, hi, comma := strings.Cut(body, ",")
		if allDigits(lo) && allDigits(hi) && (lo != "" || comma && hi != "" || !comma && lo != "") {
			if lo == "" {
				lo = "0"
			}
			if comma {
				t.out.WriteString("{" + lo + "," + hi + "}")
			} else {
				t.out.WriteString("{" + lo + "}")
			}
			return end + 1
		}
	}
	t.out.WriteString(`\{`)
	return 1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(s[i]) {
			return false
		}
	}
	return true
}
