package backend

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// JournalDBPath is the path fail2ban stores in the "logs" table for the
// journal position of a systemd jail.
const JournalDBPath = "systemd-journal"

// DefaultJournalWait bounds one wait for new journal entries; it is also the
// longest Run takes to notice that its context was cancelled.
const DefaultJournalWait = 250 * time.Millisecond

// JournalOptions configures a systemd journal backend; the fields mirror
// fail2ban's backend options (systemd[journalpath=..., journalfiles=...]).
type JournalOptions struct {
	// Path is journalpath: a directory of journal files.
	Path string
	// Files is journalfiles: glob patterns of journal files.
	Files []string
	// Flags is journalflags (SD_JOURNAL_*). The default opening is
	// LOCAL_ONLY; RUNTIME_ONLY reads /run/log/journal; CURRENT_USER is not
	// supported (go-systemd cannot pass flags).
	Flags int
	// Namespace is not supported by go-systemd; setting it is an error.
	Namespace string
	// Encoding decodes fields that are not valid UTF-8 ("auto" if empty).
	Encoding string
	// Start is where reading begins: fail2ban seeks to
	// max(saved position, now - findtime). Zero means now.
	Start time.Time
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Wait bounds one wait for new entries; zero means DefaultJournalWait.
	Wait time.Duration
	// Logger receives read errors; nil discards.
	Logger *slog.Logger
}

// Journal flag bits (libsystemd SD_JOURNAL_*).
const (
	JournalLocalOnly   = 1
	JournalRuntimeOnly = 2
	JournalSystem      = 4
	JournalCurrentUser = 8
)

// MatchNotFoundError is returned by DelMatch for a group that was never
// added; its text is fail2ban's ValueError message.
type MatchNotFoundError struct {
	Terms []string
}

func (e *MatchNotFoundError) Error() string {
	q := make([]string, len(e.Terms))
	for i, t := range e.Terms {
		q[i] = pyStrRepr(t)
	}
	return "Match [" + strings.Join(q, ", ") + "] not found"
}

// splitMatch turns addjournalmatch arguments into AND groups separated by
// "+", validating each FIELD=value term as libsystemd would.
func splitMatch(terms []string) ([][]string, error) {
	groups := [][]string{{}}
	for _, t := range terms {
		if t == "+" {
			groups = append(groups, []string{})
			continue
		}
		if err := checkMatchTerm(t); err != nil {
			return nil, err
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], t)
	}
	return groups, nil
}

// checkMatchTerm accepts FIELD=value where FIELD is upper-case letters,
// digits and underscores, not starting with a digit.
func checkMatchTerm(t string) error {
	field, _, ok := strings.Cut(t, "=")
	if !ok || field == "" || field[0] >= '0' && field[0] <= '9' {
		return fmt.Errorf("journal match %q: want FIELD=value", t)
	}
	for _, c := range []byte(field) {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return fmt.Errorf("journal match %q: invalid field name", t)
		}
	}
	return nil
}

// The fields FormatEntry and EntryTime read, by index into entryValues.
const (
	fieldHostname = iota
	fieldIdent
	fieldComm
	fieldSyslogPID
	fieldPID
	fieldMessage
	fieldSourceRealtime
	fieldSourceMonotonic
	numEntryFields
)

// entryFields names the fields of entryValues.
var entryFields = [numEntryFields]string{"_HOSTNAME", "SYSLOG_IDENTIFIER", "_COMM", "SYSLOG_PID", "_PID",
	"MESSAGE", "_SOURCE_REALTIME_TIMESTAMP", "_SOURCE_MONOTONIC_TIMESTAMP"}

// entryValues holds the fields of one entry that fail2ban's line uses; a
// missing field is "", which every rule below treats like an absent one.
type entryValues [numEntryFields]string

func valuesOf(fields map[string]string) *entryValues {
	var v entryValues
	for i, name := range entryFields {
		v[i] = fields[name]
	}
	return &v
}

// FormatEntry builds the text fail2ban matches its regexes against from a
// journal entry's fields: "[_HOSTNAME] IDENT[PID]: MESSAGE", with
// "[%12.6f]" seconds of monotonic time after "kernel:", and newlines written
// as the two characters "\n". mono is the entry's own monotonic time, used
// when _SOURCE_MONOTONIC_TIMESTAMP is missing. Fields that are valid UTF-8
// are taken as is (python-systemd decodes them); others go through dec.
func FormatEntry(fields map[string]string, mono time.Duration, dec Decoder) string {
	return string(valuesOf(fields).appendText(nil, mono, dec))
}

// appendText appends FormatEntry's text to b. It never keeps a reference
// to the values, so they may point into memory that is unmapped later.
func (v *entryValues) appendText(b []byte, mono time.Duration, dec Decoder) []byte {
	start := len(b)
	sep := false // something precedes MESSAGE, which a space then separates
	if h := v[fieldHostname]; h != "" {
		b = appendDecoded(b, h, dec)
		sep = true
	}
	ident := v[fieldIdent]
	if ident == "" {
		ident = v[fieldComm]
	}
	if ident != "" {
		if sep {
			b = append(b, ' ')
		}
		identStart := len(b)
		b = appendDecoded(b, ident, dec)
		pid := v[fieldSyslogPID]
		if pid == "" {
			pid = v[fieldPID]
		}
		if pid != "" {
			b = append(b, '[')
			b = appendPID(b, pid)
			b = append(b, ']')
		}
		b = append(b, ':')
		if string(b[identStart:]) == "kernel:" {
			if us, err := strconv.ParseInt(strings.TrimSpace(v[fieldSourceMonotonic]), 10, 64); err == nil {
				mono = time.Duration(us) * time.Microsecond
			}
			b = fmt.Appendf(b, " [%12.6f]", mono.Seconds())
		}
		sep = true
	}
	if sep {
		b = append(b, ' ')
	}
	b = appendDecoded(b, v[fieldMessage], dec)
	if bytes.IndexByte(b[start:], '\n') < 0 {
		return b
	}
	escaped := bytes.ReplaceAll(b[start:], []byte("\n"), []byte(`\n`))
	return append(b[:start], escaped...)
}

// EntryTime is the failure time fail2ban takes for an entry:
// _SOURCE_REALTIME_TIMESTAMP if present and numeric, else the entry's own
// realtime stamp (microseconds since the epoch).
func EntryTime(fields map[string]string, realtimeUsec uint64) time.Time {
	return valuesOf(fields).time(realtimeUsec)
}

func (v *entryValues) time(realtimeUsec uint64) time.Time {
	if s := v[fieldSourceRealtime]; s != "" {
		if us, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return time.UnixMicro(us)
		}
	}
	return time.UnixMicro(int64(realtimeUsec))
}

// appendDecoded appends decodeField(s, dec).
func appendDecoded(b []byte, s string, dec Decoder) []byte {
	if utf8.ValidString(s) {
		return append(b, s...)
	}
	return append(b, dec([]byte(s))...)
}

// appendPID appends pidText(v); plain decimal PIDs, by far the most common,
// are copied without parsing.
func appendPID(b []byte, v string) []byte {
	if plainDecimal(v) {
		return append(b, v...)
	}
	return append(b, pidText(v)...)
}

// plainDecimal reports whether s is digits without a leading zero and short
// enough for int64, which pidText would print unchanged.
func plainDecimal(s string) bool {
	if s == "" || len(s) > 18 || s[0] == '0' && len(s) > 1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pidText formats a PID field as fail2ban does: python-systemd turns it
// into an int when int() accepts it, fail2ban then tries int(v, 0), and
// otherwise prints the raw bytes object.
func pidText(v string) string {
	s := strings.TrimSpace(v)
	if n, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64); err == nil && !strings.HasPrefix(s, "_") && !strings.HasSuffix(s, "_") {
		return strconv.FormatInt(n, 10)
	}
	if n, ok := pyIntBase0(s); ok {
		return strconv.FormatInt(n, 10)
	}
	return pyBytesRepr(v)
}

// pyIntBase0 parses the prefixed forms Python's int(s, 0) accepts beyond
// plain decimal: 0x, 0o and 0b.
func pyIntBase0(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	if len(s) < 3 || s[0] != '0' {
		return 0, false
	}
	base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[s[1]]
	if base == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s[2:], "_", ""), base, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// pyBytesRepr is Python's repr() of a bytes object.
func pyBytesRepr(v string) string {
	quote := byte('\'')
	if strings.IndexByte(v, '\'') >= 0 && strings.IndexByte(v, '"') < 0 {
		quote = '"'
	}
	var sb strings.Builder
	sb.WriteString("b")
	sb.WriteByte(quote)
	for _, c := range []byte(v) {
		switch {
		case c == quote || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(quote)
	return sb.String()
}

// pyStrRepr is Python's repr() of a str, enough for match terms.
func pyStrRepr(s string) string {
	quote := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		quote = `"`
	}
	r := strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\t", `\t`, quote, `\`+quote)
	return quote + r.Replace(s) + quote
}

// ExpandJournalGlobs expands journalfiles patterns, sorted, without
// duplicates; no file at all is an error.
func ExpandJournalGlobs(patterns []string) ([]string, error) {
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("journalfiles %q: %w", p, err)
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("journalfiles %q: no file found", patterns)
	}
	return files, nil
}

// journalSource is the journal a JournalOptions selects: files, a
// directory, or (neither) the local journal.
type journalSource struct {
	files []string
	dir   string
}

// source checks the options and picks the journal they name: namespaces
// and CURRENT_USER are refused, RUNTIME_ONLY is /run/log/journal.
func (o JournalOptions) source() (journalSource, error) {
	switch {
	case o.Namespace != "":
		return journalSource{}, fmt.Errorf("namespace %q: journal namespaces are not supported", o.Namespace)
	case len(o.Files) > 0:
		files, err := ExpandJournalGlobs(o.Files)
		return journalSource{files: files}, err
	case o.Path != "":
		return journalSource{dir: o.Path}, nil
	case o.Flags&JournalCurrentUser != 0:
		return journalSource{}, fmt.Errorf("journalflags %d: CURRENT_USER is not supported", o.Flags)
	case o.Flags&JournalRuntimeOnly != 0:
		return journalSource{dir: "/run/log/journal"}, nil
	}
	return journalSource{}, nil
}
