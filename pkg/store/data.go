package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Match is one matched log line as fail2ban stores it in a ban's data: either
// one element (the whole line) or three (the text before the date, the date
// text and the text after it), whose concatenation is the line.
type Match []string

// Line returns the whole log line.
func (m Match) Line() string { return strings.Join(m, "") }

// Field is one extra key of a ban's data (a captured group such as "user"
// or "ip4"). Value is a string, bool, int, int64, float64, []string or []any
// of these; nil values are not written (fail2ban omits None groups).
type Field struct {
	Key   string
	Value any
}

// Data is the JSON object in the data column of bans and bips: "matches",
// "failures", then the captured groups in order.
type Data struct {
	Matches  []Match
	Failures int
	Fields   []Field

	// noFailures records that a row read from disk had no "failures" key;
	// fail2ban counts such a ban as one failure.
	noFailures bool
}

// failuresOrOne is the failure count fail2ban assumes for merged history.
func (d Data) failuresOrOne() int {
	if d.noFailures {
		return 1
	}
	return d.Failures
}

// encode renders d as fail2ban's json.dumps(..., ensure_ascii=False) does,
// keeping only the last maxMatches matches (0 removes the key).
func (d Data) encode(maxMatches int) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	sep := ""
	if maxMatches > 0 {
		m := d.Matches
		if len(m) > maxMatches {
			m = m[len(m)-maxMatches:]
		}
		b.WriteString(`"matches": `)
		writeMatches(&b, m)
		sep = ", "
	}
	b.WriteString(sep)
	b.WriteString(`"failures": `)
	b.WriteString(strconv.Itoa(d.Failures))
	for _, f := range d.Fields {
		if f.Value == nil || f.Key == "matches" || f.Key == "failures" {
			continue
		}
		b.WriteString(", ")
		writeString(&b, f.Key)
		b.WriteString(": ")
		writeValue(&b, f.Value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func writeMatches(b *bytes.Buffer, ms []Match) {
	b.WriteByte('[')
	for i, m := range ms {
		if i > 0 {
			b.WriteString(", ")
		}
		if len(m) == 1 {
			writeString(b, m[0])
			continue
		}
		writeValue(b, []string(m))
	}
	b.WriteByte(']')
}

func writeValue(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeString(b, x)
	case bool:
		b.WriteString(map[bool]string{true: "true", false: "false"}[x])
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(pyFloat(x))
	case []string:
		writeList(b, len(x), func(i int) { writeString(b, x[i]) })
	case []any:
		writeList(b, len(x), func(i int) { writeValue(b, x[i]) })
	case json.RawMessage:
		b.Write(x)
	default:
		writeString(b, fmt.Sprint(x))
	}
}

func writeList(b *bytes.Buffer, n int, elem func(int)) {
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		elem(i)
	}
	b.WriteByte(']')
}

// writeString quotes s like Python's json module with ensure_ascii=False:
// only '"', '\\' and control characters are escaped; invalid UTF-8 becomes
// U+FFFD (Python would have replaced it while decoding the log line).
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// pyFloat formats f like Python's float repr, as json.dumps does.
func pyFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}
