package logging

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Python logging format of fail2ban's default (non-verbose) layout.
const (
	formatDefault = "%(asctime)s %(name)-24s[%(process)d]: %(levelname)-7s %(message)s"
	formatNoTime  = "%(name)-24s[%(process)d]: %(levelname)-7s %(message)s"
)

// DefaultFormat returns fail2ban's layout with or without the timestamp and
// the padding, as getVerbosityFormat builds it.
func DefaultFormat(datetime, padding bool) string {
	f := formatNoTime
	if datetime {
		f = formatDefault
	}
	if !padding {
		f = unpad.Replace(f)
	}
	return f
}

// unpad drops the widths of the default layout (padding=off).
var unpad = strings.NewReplacer(")-24s", ")s", ")-7s", ")s")

// fields a record provides to a format.
type fields struct {
	time                     time.Time // %(asctime)s, already in the zone to print
	name, levelname, message string
	process, levelno         int
}

// asctimeLayout is Python logging's default time format.
const asctimeLayout = "2006-01-02 15:04:05,000"

// get returns a field as a string or a number; asctime is formatted only
// here, for a directive that pads or truncates it (appendTo writes it
// straight into the line otherwise).
func (f *fields) get(key string) (s string, n int, isNum bool) {
	switch key {
	case "asctime":
		return f.time.Format(asctimeLayout), 0, false
	case "name":
		return f.name, 0, false
	case "levelname":
		return f.levelname, 0, false
	case "message":
		return f.message, 0, false
	case "process":
		return "", f.process, true
	case "levelno":
		return "", f.levelno, true
	}
	return "", 0, false
}

// directive is one "%(key)-W.Pc" of a format, or a literal when key is "".
type directive struct {
	lit         string
	key         string
	left        bool
	width, prec int // prec -1: none
	conv        byte
}

// format is a compiled Python %-style logging format.
type format []directive

// compileFormat parses a Python logging format. Anything that is not a
// "%(key)…" directive or "%%" is kept literally.
func compileFormat(s string) format {
	var out format
	lit := strings.Builder{}
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, directive{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "%%") {
			lit.WriteByte('%')
			i += 2
			continue
		}
		if d, n, ok := parseDirective(s[i:]); ok {
			flush()
			out = append(out, d)
			i += n
			continue
		}
		lit.WriteByte(s[i])
		i++
	}
	flush()
	return out
}

var directiveRe = regexp.MustCompile(`^%\(([^)]*)\)(-?)(\d*)(?:\.(\d+))?([sdrifx])`)

func parseDirective(s string) (directive, int, bool) {
	m := directiveRe.FindStringSubmatch(s)
	if m == nil {
		return directive{}, 0, false
	}
	d := directive{key: m[1], left: m[2] == "-", prec: -1, conv: m[5][0]}
	// A width or precision from a logtarget's format= option is clamped:
	// "%(x)10000000000000000000s" would otherwise pad every line with an
	// allocation of that size (found by FuzzFormat).
	d.width = min(atoiClamped(m[3]), maxFieldWidth)
	if m[4] != "" {
		d.prec = min(atoiClamped(m[4]), maxFieldWidth)
	}
	return d, len(m[0]), true
}

// maxFieldWidth bounds the width and precision of one format directive.
const maxFieldWidth = 4096

// atoiClamped is strconv.Atoi for the digits of a directive; values too
// large for an int come back as maxFieldWidth (Atoi would return MaxInt).
func atoiClamped(digits string) int {
	n, err := strconv.Atoi(digits)
	if err != nil && n == 0 {
		return 0
	}
	if err != nil {
		return maxFieldWidth
	}
	return n
}

// appendTo appends the line v renders to b. It writes into the caller's
// buffer without intermediate strings: every attempt and every failure
// found logs one line, and this is on that path.
func (f format) appendTo(b []byte, v *fields) []byte {
	for _, d := range f {
		if d.key == "" {
			b = append(b, d.lit...)
			continue
		}
		if d.key == "asctime" && d.width == 0 && d.prec < 0 {
			b = appendAsctime(b, v.time)
			continue
		}
		s, n, isNum := v.get(d.key)
		if isNum {
			var digits [20]byte
			s = string(strconv.AppendInt(digits[:0], int64(n), 10))
		}
		if d.prec >= 0 && !isNum {
			s = truncate(s, d.prec)
		}
		pad := 0
		if d.width > 0 {
			pad = d.width - utf8.RuneCountInString(s)
		}
		if !d.left {
			b = appendSpaces(b, pad)
		}
		b = append(b, s...)
		if d.left {
			b = appendSpaces(b, pad)
		}
	}
	return b
}

// appendAsctime appends t as asctimeLayout does (milliseconds truncated,
// as Python's record.msecs is), by hand: the generic layout interpreter
// was a quarter of a log line's cost.
func appendAsctime(b []byte, t time.Time) []byte {
	b = AppendDateTime(b, t)
	b = append(b, ',')
	return appendDigits(b, t.Nanosecond()/int(time.Millisecond), 3)
}

// DateTimeLayout is how fail2ban prints times inside its messages
// ("[sshd] Found 192.0.2.1 - 2006-01-02 15:04:05").
const DateTimeLayout = "2006-01-02 15:04:05"

// AppendDateTime appends t.Format(DateTimeLayout) to b. Every failure
// found and every socket attempt prints its time this way, twice (in the
// message and in the line's asctime), nearly always the same second as
// the line before: the text of the latest second is kept and copied.
func AppendDateTime(b []byte, t time.Time) []byte {
	sec, loc := t.Unix(), t.Location()
	last := lastDate.Load()
	if last != nil && last.sec == sec && last.loc == loc {
		return append(b, last.text[:]...)
	}
	start := len(b)
	b = appendDateTime(b, t)
	// Only a later second replaces the kept one: a log read from its
	// start (old times, each once) does not evict the current second
	// that every live line uses, nor allocate for each of its lines.
	if len(b)-start == dateTimeLen && (last == nil || sec > last.sec) {
		d := &dateText{sec: sec, loc: loc}
		copy(d.text[:], b[start:])
		lastDate.Store(d)
	}
	return b
}

// dateTimeLen is the length of DateTimeLayout's text for years 0–9999.
const dateTimeLen = len(DateTimeLayout)

// dateText is the DateTimeLayout text of one second in one zone.
type dateText struct {
	sec  int64 // Unix time
	loc  *time.Location
	text [dateTimeLen]byte
}

// lastDate is the latest second AppendDateTime formatted; shared by every
// goroutine, replaced (never modified) when the second changes.
var lastDate atomic.Pointer[dateText]

// appendDateTime is AppendDateTime by hand, without the kept second: the
// generic layout interpreter cost more than the rest of the message.
func appendDateTime(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, DateTimeLayout)
	}
	hour, minute, sec := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, ' ')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	return appendDigits(b, sec, 2)
}

// appendDigits appends n >= 0 as exactly width decimal digits.
func appendDigits(b []byte, n, width int) []byte {
	var d [4]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[:width]...)
}

// appendSpaces appends n spaces (none when n <= 0).
func appendSpaces(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// String shows the compiled format (for debugging and tests).
func (f format) String() string {
	var b strings.Builder
	for _, d := range f {
		if d.key == "" {
			b.WriteString(strings.ReplaceAll(d.lit, "%", "%%"))
			continue
		}
		fmt.Fprintf(&b, "%%(%s)", d.key)
		if d.left {
			b.WriteByte('-')
		}
		if d.width > 0 {
			b.WriteString(strconv.Itoa(d.width))
		}
		if d.prec >= 0 {
			fmt.Fprintf(&b, ".%d", d.prec)
		}
		b.WriteByte(d.conv)
	}
	return b.String()
}
