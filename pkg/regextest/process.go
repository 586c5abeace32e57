package regextest

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/f2b/f2b/pkg/datedetect"
	"github.com/f2b/f2b/pkg/filter"
)

// lineStats are fail2ban-regex's LineStats.
type lineStats struct {
	tested, matched, missed, ignored int
	matchedLines, missedLines        []string
	ignoredLines                     []string
}

// prefStats counts the lines the prefregex matched; groups holds their
// group dicts for -v.
type prefStats struct {
	matched int
	groups  []string
}

// recDates is the filter's DateFinder: fail2ban's detector, remembering
// the last match so the tester can rebuild the text the prefregex saw.
//
// The detector's state (template order, last positions) depends only on
// the sequence of lines it has seen, and the filter asks for the date of
// every line exactly once, in order. So for log files the dates are found
// ahead, on the reader goroutine, and handed over with the line (pending);
// the result is the same as finding them here.
type recDates struct {
	d       *datedetect.Detector
	last    filter.DateMatch
	ok      bool
	pending *dateResult
	// intTime: fail2ban's timestamp for the last line is a Python int
	// (TAI64N, or a date converted with a known zone), not a float; -o
	// prints it without ".0".
	intTime bool
	names   []string
	tz      bool // --timezone given
}

// dateResult is the date of one line.
type dateResult struct {
	line    string
	m       filter.DateMatch
	ok      bool
	intTime bool
}

// detect runs the detector on the next line of the stream.
func (r *recDates) detect(line string) dateResult {
	m, ok := r.d.Find(line)
	dr := dateResult{line: line, m: filter.DateMatch{Time: m.Time, Start: m.Start, End: m.End, Template: m.Template}, ok: ok}
	if ok && m.End > m.Start {
		dr.intTime = r.integral(line[m.Start:m.End], m.Template)
	}
	return dr
}

func (r *recDates) FindDate(line string) (filter.DateMatch, bool) {
	var dr dateResult
	if p := r.pending; p != nil && p.line == line {
		dr = *p
	} else {
		dr = r.detect(line)
	}
	r.pending = nil
	r.last, r.ok, r.intTime = dr.m, dr.ok, dr.intTime
	return r.last, r.ok
}

var zoneEndRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:Z|[+-]\d\d:?\d\d|\b[A-Z]{1,5}(?:[+-]\d\d:?\d\d)?)$`)
})

func (r *recDates) integral(date string, tmpl int) bool {
	if tmpl < 0 || tmpl >= len(r.names) {
		return false
	}
	name := r.names[tmpl]
	switch {
	case strings.Contains(name, "TAI64N"):
		return true
	case strings.Contains(name, "Epoch"):
		return false
	case r.tz:
		return true
	}
	return strings.Contains(name, "Zone") && zoneEndRE().MatchString(date)
}

// start is fail2ban-regex's start(): regexes, filter, log, processing.
func (t *tester) start(ctx context.Context) error {
	logArg, regex := t.o.Args[0], t.o.Args[1]
	journal := strings.HasPrefix(logArg, "systemd-journal")
	if journal {
		t.logType = "journal"
	}
	if err := t.readFail(regex); err != nil {
		return err
	}
	if len(t.o.Args) == 3 {
		t.readIgnore(t.o.Args[2])
	}
	if err := t.build(journal && !isFile(logArg)); err != nil {
		return err
	}
	return t.feed(ctx, logArg)
}

// process runs each line of src through the filter, skipping empty and
// comment lines, and times the loop.
func (t *tester) process(src func(fn func(string, *dateResult)) error) error {
	t0 := time.Now()
	var out func([]filter.Failure)
	if t.o.Out != "" {
		out = t.outFunc()
	}
	var p *filter.Pipeline[struct{}]
	if t.parallel() {
		p = filter.NewPipeline(t.flt, 0, func(line string, _ struct{}, res *filter.Result) { t.account(&procLine{text: line}, res, nil) })
	}
	err := src(func(line string, dr *dateResult) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || line[0] == '#' {
			return
		}
		if t.dates != nil {
			t.dates.pending = dr
		}
		if p != nil {
			p.Add(line, struct{}{})
			return
		}
		var res filter.Result // reused: account keeps nothing of it
		t.flt.ProcessLineInto(line, &res)
		t.account(&procLine{text: line}, &res, out)
	})
	if p != nil {
		p.Close()
	}
	t.elapsed = t.env.Elapsed(t0)
	return err
}

// parallel reports whether lines go through a filter.Pipeline: with more
// than one core, for the plain statistics of a single-line filter. The
// per-line listings of -v and the -o output read the date detector's
// state of the current line, so they stay line by line; and so do
// multi-line filters, which gain nothing from the workers.
func (t *tester) parallel() bool {
	return runtime.GOMAXPROCS(0) > 1 && t.o.Verbose == 0 && t.o.Out == "" && t.maxLines <= 1
}

// processJournal is process for entries whose time is known.
func (t *tester) processJournal(src func(emit func(string, time.Time)) error) error {
	t0 := time.Now()
	var out func([]filter.Failure)
	if t.o.Out != "" {
		out = t.outFunc()
	}
	var p *filter.Pipeline[time.Time]
	if t.parallel() {
		p = filter.NewPipeline(t.flt, 0, func(line string, ts time.Time, res *filter.Result) {
			t.account(t.journalLine(line, ts), res, nil)
		})
	}
	err := src(func(line string, ts time.Time) {
		if p != nil {
			p.AddAt(line, ts, ts)
			return
		}
		var res filter.Result
		t.flt.ProcessLineAtInto(line, ts, &res)
		t.account(t.journalLine(line, ts), &res, out)
	})
	if p != nil {
		p.Close()
	}
	t.elapsed = t.env.Elapsed(t0)
	return err
}

// isoTime is Python's datetime.isoformat() of a zone-aware local time,
// the date fail2ban puts before a journal entry.
func isoTime(ts time.Time, loc *time.Location) string {
	ts = ts.In(loc)
	s := ts.Format("2006-01-02T15:04:05")
	if us := ts.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s + ts.Format("-07:00")
}

// isoClock builds journal lines as isoTime + " " + message, keeping the
// text of the last second: journal entries come many to a second, and
// formatting the time was a sixth of a journal run.
type isoClock struct {
	sec        int64
	loc        *time.Location
	head, zone string // isoTime's date-time and its zone, for sec in loc
	buf        []byte
}

func (c *isoClock) line(ts time.Time, loc *time.Location, msg string) string {
	ts = ts.In(loc)
	if sec := ts.Unix(); c.loc != loc || sec != c.sec {
		c.sec, c.loc = sec, loc
		c.head, c.zone = ts.Format("2006-01-02T15:04:05"), ts.Format("-07:00")
	}
	b := append(c.buf[:0], c.head...)
	if us := ts.Nanosecond() / 1000; us != 0 {
		b = append(b, '.', byte('0'+us/100000), byte('0'+us/10000%10), byte('0'+us/1000%10),
			byte('0'+us/100%10), byte('0'+us/10%10), byte('0'+us%10))
	}
	b = append(append(append(b, c.zone...), ' '), msg...)
	c.buf = b
	return string(b)
}

// procLine is a processed line for account. Its text is the line as
// fail2ban-regex shows it; for a journal entry that is the entry's time
// and message, built on first use (String): most entries are only
// counted, and building every one was a tenth of a journal run's CPU.
type procLine struct {
	text string
	// journal entry, until its text is built
	iso *isoClock
	loc *time.Location
	msg string
	ts  time.Time
}

// journalLine is the procLine of a journal entry.
func (t *tester) journalLine(msg string, ts time.Time) *procLine {
	return &procLine{iso: &t.iso, loc: t.env.Local, msg: msg, ts: ts}
}

func (l *procLine) String() string {
	if l.iso != nil {
		l.text, l.iso = l.iso.line(l.ts, l.loc, l.msg), nil
	}
	return l.text
}

// account updates the statistics for one processed line (testRegex and
// the body of process in fail2ban-regex).
func (t *tester) account(line *procLine, res *filter.Result, out func([]filter.Failure)) {
	ret := res.Failures[:0:0]
	nofail := false
	for _, f := range res.Failures {
		if !f.NoFail {
			ret = append(ret, f)
		} else {
			nofail = true
		}
	}
	// Without check-all, fail2ban drops an mlfid session's nofail match
	// silently (the line is missed); with it, the match is reported.
	ignored := res.Ignored || nofail || (res.NoFail > 0 && t.checkAll())
	if out != nil {
		if len(ret) > 0 && !ignored {
			out(ret)
		}
		return
	}
	t.countHits(line, res, ret)
	t.countPref(line, res)
	failed := len(ret)+res.Pending > 0
	t.countBuffered(line, res)
	s := &t.stats
	limit := t.o.printLimit()
	switch {
	case ignored:
		s.ignored++
		if !t.o.PrintNoIgnored && (t.o.PrintAllIgnored || s.ignored <= limit+1) {
			s.ignoredLines = append(s.ignoredLines, line.String())
		}
	case failed:
		s.matched++
		if t.o.PrintAllMatched {
			s.matchedLines = append(s.matchedLines, line.String())
		}
	default:
		s.missed++
		if !t.o.PrintNoMissed && (t.o.PrintAllMissed || s.missed <= limit+1) {
			s.missedLines = append(s.missedLines, line.String())
		}
	}
	s.tested++
}

// countHits increments the failregex counters: every match counts, but
// a match dropped by an ignoreregex does not.
func (t *tester) countHits(line *procLine, res *filter.Result, ret []filter.Failure) {
	if res.Ignored {
		t.countIgnore(res)
		if t.maxLines <= 1 {
			return
		}
		for _, f := range res.Failures {
			t.fail[f.FailRegexIndex].hits++
		}
		return
	}
	if t.checkAll() {
		t.countAll(line, res)
		return
	} else if len(ret) > 0 || res.Pending > 0 || len(res.Failures) > 0 {
		t.fail[res.Hits[len(res.Hits)-1]].hits++
	}
	if t.o.Verbose > 0 {
		n := 0
		for _, f := range res.Failures {
			st := t.fail[f.FailRegexIndex]
			st.ips = append(st.ips, hitInfo{id: f.ID.String(), t: f.Time, multi: n > 1})
			if !f.NoFail {
				n++
			}
		}
	}
}

func (t *tester) countIgnore(res *filter.Result) {
	i := res.IgnoreIndex - len(t.extraIgnore)
	if i >= 0 && i < len(t.ignore) {
		t.ignore[i].hits++
	}
}

// countPref counts the lines the prefregex matched. A line with a
// failregex hit passed the prefregex; other lines are searched again.
func (t *tester) countPref(l *procLine, res *filter.Result) {
	pre := t.flt.PrefRegex()
	if pre == nil {
		return
	}
	if len(res.Hits) > 0 && t.o.Verbose == 0 {
		t.pref.matched++
		return
	}
	if res.PrefChecked && t.o.Verbose == 0 {
		if res.PrefMatched {
			t.pref.matched++
		}
		return
	}
	line := l.String()
	text := line
	if t.dates != nil && t.dates.ok {
		text = line[:t.dates.last.Start] + line[t.dates.last.End:]
	}
	m, _ := pre.Search(text + "\n")
	if m == nil {
		return
	}
	t.pref.matched++
	if t.o.Verbose > 0 {
		limit := t.o.printLimit()
		switch {
		case len(t.pref.groups) < limit:
			t.pref.groups = append(t.pref.groups, groupDict(m))
		case len(t.pref.groups) == limit:
			t.pref.groups = append(t.pref.groups, "...")
		}
	}
}

// countBuffered re-counts buffered lines that a multi-line match consumed
// as matched (they were counted as missed when they arrived).
func (t *tester) countBuffered(l *procLine, res *filter.Result) {
	if t.maxLines <= 1 || len(res.Lines) == 0 {
		return
	}
	line := l.String()
	lines := res.Lines
	if lines[len(lines)-1] == line {
		lines = lines[:len(lines)-1]
	}
	s := &t.stats
	for _, l := range lines {
		for i, m := range s.missedLines {
			if m == l {
				s.missedLines = append(s.missedLines[:i:i], s.missedLines[i+1:]...)
				break
			}
		}
		if t.o.PrintAllMatched {
			s.matchedLines = append(s.matchedLines, l)
		}
		s.matched++
		s.missed--
	}
}

// countAll counts check-all matches as fail2ban-regex does: once per
// failure (a host name resolving to two addresses counts twice), once per
// mlfid nofail or pending match, and not at all for a host name that
// resolved to nothing. Result does not say which failure-less hit was
// which, so the failure-less hits are credited in order.
func (t *tester) countAll(line *procLine, res *filter.Result) {
	perIndex := map[int]int{}
	nofail := 0
	for _, f := range res.Failures {
		perIndex[f.FailRegexIndex]++
		if f.NoFail {
			nofail++
		}
	}
	extra := res.NoFail - nofail + res.Pending
	n := 0 // non-nofail entries so far (fail2ban's "multiple regex matched")
	for _, i := range res.Hits {
		if c, ok := perIndex[i]; ok {
			t.fail[i].hits += c
			delete(perIndex, i)
			if t.o.Verbose > 0 {
				for _, f := range res.Failures {
					if f.FailRegexIndex == i {
						t.fail[i].ips = append(t.fail[i].ips, hitInfo{id: f.ID.String(), t: f.Time, multi: n > 1})
						if !f.NoFail {
							n++
						}
					}
				}
			}
		} else if extra > 0 {
			t.fail[i].hits++
			extra--
			if t.o.Verbose > 0 {
				t.fail[i].ips = append(t.fail[i].ips, hitInfo{id: t.sessionHitID(line.String(), i), t: res.Time, multi: n > 1})
			}
		}
	}
}

// sessionHitID finds the id of an mlfid session step (a nofail or pending
// match, for which the filter reports no failure) by searching the line
// again with that failregex: the address if there is one, else None.
func (t *tester) sessionHitID(line string, i int) string {
	text := line
	if t.dates != nil && t.dates.ok {
		text = line[:t.dates.last.Start] + line[t.dates.last.End:]
	}
	if pre := t.flt.PrefRegex(); pre != nil {
		if m, _ := pre.Search(text + "\n"); m != nil {
			if c, ok := m.Group("content"); ok && c != "" {
				text = c
			}
		}
	}
	m, _ := t.flt.FailRegex()[i].Search(text + "\n")
	if m == nil {
		return "None"
	}
	for _, g := range []string{"ip4", "ip6", "dns", "fid"} {
		if v, ok := m.Group(g); ok {
			if a, err := netip.ParseAddr(v); err == nil {
				return a.String()
			}
			return v
		}
	}
	return "None"
}

// checkAll is fail2ban-regex's checkAllRegex: on unless --no-check-all or
// -o is given.
func (t *tester) checkAll() bool { return !t.o.NoCheckAll && t.o.Out == "" }
