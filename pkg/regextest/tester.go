package regextest

import (
	"bufio"
	"fmt"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/datedetect"
	"github.com/f2b/f2b/pkg/filter"
)

// regexStat is one failregex or ignoreregex with its hit counter
// (fail2ban-regex's RegexStat).
type regexStat struct {
	expr string
	hits int
	ips  []hitInfo // -v
}

type hitInfo struct {
	id    string
	t     time.Time
	multi bool
}

// tester is one fail2ban-regex run.
type tester struct {
	// regexes hands the filter the regexes compiled while checking them
	regexes filter.RegexCache
	iso     isoClock
	o       Options
	env     Env
	w       *bufio.Writer

	maxLines       int
	maxLinesSet    bool
	datePattern    string
	datePatternSet bool
	journalMatch   []string
	journalSet     bool
	loc            *time.Location // --timezone
	// detector is the one setDatePattern built to check the pattern,
	// unused yet: build takes it rather than building an equal one (the
	// default templates take ~9 ms of CPU to build).
	detector *datedetect.Detector
	useDNS   string
	logType  string // "journal" for a systemd-journal LOG (filter option logtype)

	prefRegex string
	fail      []*regexStat
	ignore    []*regexStat
	// extraIgnore are the filter's own ignoreregexes that stay active
	// when a literal IGNOREREGEX replaces them in the statistics (1.0.2).
	extraIgnore []string

	flt   *filter.Filter
	dates *recDates
	stats lineStats
	pref  prefStats

	elapsed time.Duration
	done    bool // report printed by start (-o) or nothing to print
}

// newTester applies the command-line options the way Fail2banRegex's
// constructor does, printing the maxlines and datepattern lines.
func newTester(o Options, env Env, w *bufio.Writer) (*tester, error) {
	t := &tester{o: o, env: env, w: w, maxLines: 1, useDNS: o.UseDNS}
	if o.MaxLines != 0 {
		t.setMaxLines(o.MaxLines)
	}
	if o.JournalMatchSet {
		m, err := shellSplit(o.JournalMatch)
		if err != nil {
			return nil, err
		}
		t.journalMatch, t.journalSet = m, true
	}
	if o.Timezone != "" {
		loc, err := datedetect.ParseTimezone(o.Timezone)
		if err != nil {
			return nil, fmt.Errorf("Unknown or unsupported time zone: %s", pyRepr(o.Timezone))
		}
		t.loc = loc
	}
	if o.DatePatternSet && o.DatePattern != "" {
		if err := t.setDatePattern(o.DatePattern); err != nil {
			return nil, err
		}
	}
	if t.useDNS == "" {
		t.useDNS = filter.UseDNSWarn
	}
	return t, nil
}

// output prints a report line unless -o is active.
func (t *tester) output(format string, args ...any) {
	if t.o.Out != "" {
		return
	}
	fmt.Fprintf(t.w, format, args...)
	t.w.WriteByte('\n')
}

func (t *tester) setMaxLines(n int) {
	if t.maxLinesSet {
		return
	}
	t.maxLines, t.maxLinesSet = max(1, n), true
	t.output("Use         maxlines : %d", t.maxLines)
}

// setDatePattern validates the pattern by building its detector; the
// first pattern set wins, as in fail2ban-regex.
func (t *tester) setDatePattern(p string) error {
	if t.datePatternSet {
		return nil
	}
	d, err := t.newDetector(p)
	if err != nil {
		return fmt.Errorf("Failed to set datepattern '%s' (may be an invalid format or unescaped percent char): %w", p, err)
	}
	t.datePattern, t.datePatternSet, t.detector = p, true, d
	t.output("Use      datepattern : %s : %s", p, detectorName(d))
	return nil
}

func (t *tester) newDetector(p string) (*datedetect.Detector, error) {
	return datedetect.New(datedetect.Options{Pattern: p, Location: t.loc, Local: t.env.Local, Now: t.env.Now})
}

// detectorName is fail2ban's getDatePattern()[1].
func detectorName(d *datedetect.Detector) string {
	names := d.Templates()
	if d.Default() || len(names) == 0 {
		return "Default Detectors"
	}
	return names[0]
}

// shortstr shortens s to 53 characters (fail2ban-regex's shortstr).
func shortstr(s string) string {
	r := []rune(s)
	if len(r) > 53 {
		return string(r[:50]) + "..."
	}
	return s
}

// shellSplit is Python's shlex.split for journal matches. The special
// characters are ASCII, so it works on bytes and keeps the rest intact.
func shellSplit(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case quote == '"':
			if c == '"' {
				quote = 0
			} else if c == '\\' && i+1 < len(s) && strings.IndexByte("\\\"$`\n", s[i+1]) >= 0 {
				i++
				cur.WriteByte(s[i])
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == '\\':
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
			inWord = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("No closing quotation")
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}
