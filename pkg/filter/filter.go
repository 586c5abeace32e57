package filter

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/datedetect"
	"github.com/f2b/f2b/pkg/ipaddr"
	"github.com/f2b/f2b/pkg/tags"
)

// Failure is one failure found in a line (fail2ban's failList entry).
// Its Matches, Data and Users are read-only: those of an mlfid session
// are shared with the session the filter keeps.
type Failure struct {
	ID             ipaddr.Addr // the failure id: address, subnet or raw id
	Host           string      // captured host/id text the ID came from
	Time           time.Time   // zero when the date is unknown (CheckAll mode)
	Matches        []string    // original lines of this failure
	Data           tags.List   // named groups that took part, plus "ip" when the id is an F-ID; sorted by name
	Users          []string    // distinct users of an mlfid session, in order
	FailRegexIndex int
	// NoFail marks a <F-NOFAIL> match without an mlfid session: fail2ban's
	// server still counts it, fail2ban-regex reports it as ignored.
	NoFail bool
}

// Result is what ProcessLine learned about one line; it carries enough
// for fail2ban-regex's statistics.
type Result struct {
	Failures     []Failure
	Time         time.Time // date used for the line (zero = unknown)
	DateFound    bool      // a date template matched the line
	DateTemplate int       // index of that template
	// Ignored is set when an ignoreregex dropped the line or a match;
	// IgnoreIndex is that ignoreregex.
	Ignored     bool
	IgnoreIndex int
	// Hits lists failregexes that matched, including matches that gave
	// no failure (nofail, pending mlfid session).
	Hits    []int
	NoFail  int      // matches that were nofail/mlfgained
	Pending int      // matches with only an mlfid (no id yet)
	Lines   []string // multi-line: buffered lines consumed by matches
	Errors  []error  // regex timeouts
	// PrefChecked is set when the prefregex was searched for this line
	// (not when an early ignoreregex dropped it first, nor without a
	// prefregex); PrefMatched says whether it matched.
	PrefChecked, PrefMatched bool
}

// Filter is one jail's filter. It is not safe for concurrent use: like
// fail2ban's, it keeps the last date, the line buffer and mlfid sessions.
type Filter struct {
	o        Options
	log      *slog.Logger
	dates    DateFinder
	detector *datedetect.Detector
	fail     []*Regex
	ignore   []*Regex
	pref     *Regex
	buf      []line
	one      [1]line // backing store of buf for single-line filters
	lastDate time.Time
	lastText string
	// knownSec and knownLoc are the second and zone lastText was made
	// from by setKnownDate.
	knownSec int64
	knownLoc *time.Location
	sessions *sessions
	// slow turns the fast paths off: the reference path of the
	// differential tests.
	slow bool
	sc   scratch
	// hitIdx[i] == i: Result.Hits of a single hit shares it
	hitIdx []int
	// prechk[i] is failregex i's recent hit rate (see precheck.go);
	// alwaysPrecheck forces the precheck (tests).
	prechk         []precheckStats
	alwaysPrecheck bool
	// dispatch picks the failregexes a text's first byte leaves in the
	// running (nil: all of them).
	dispatch *firstDispatch
	// recycle is set while the caller gives up a line's failures when it
	// asks for the next line's (ProcessLineInto, a Pipeline): a failure
	// outside an mlfid session is then built in spare, reused from line
	// to line, instead of a new allocation.
	recycle bool
	spare   *oneFailure
	// fused caches useFused's answer (0: not known yet, 1 yes, -1 no).
	fused int8
	// groups is merge's scratch list; loose holds the data of an mlfid
	// match that neither finds nor starts a session (mergeSession).
	groups tags.List
	loose  failData
}

// line is one buffered log line split around its date text; full is
// pre+date+post when known (saves rebuilding it).
type line struct{ pre, date, post, full string }

func (l line) text() string { return l.pre + l.post }

func (l line) orig() string {
	if l.full != "" {
		return l.full
	}
	return l.pre + l.date + l.post
}

// New compiles a filter. All bad regexes are reported, each naming its
// option, index and text.
func New(o Options) (*Filter, error) {
	o.setDefaults()
	f := &Filter{o: o, log: o.Logger, dates: o.Dates, sessions: newSessions(o.Now)}
	var errs []error
	if f.dates == nil {
		d, err := newDetector(o)
		if err != nil {
			errs = append(errs, err)
		} else {
			f.detector, f.dates = d, detectorDates{d}
		}
	}
	if strings.TrimSpace(o.PrefRegex) != "" {
		r, err := f.compile(o.PrefRegex, false)
		if err != nil {
			errs = append(errs, fmt.Errorf("prefregex: %w", err))
		}
		f.pref = r
	}
	f.fail, errs = f.compileList("failregex", o.FailRegex, o.MaxLines > 1, errs)
	f.ignore, errs = f.compileList("ignoreregex", o.IgnoreRegex, false, errs)
	errs = append(errs, f.checkIDs()...)
	f.dispatch = newFirstDispatch(f.fail)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return f, nil
}

func (f *Filter) compileList(opt string, exprs []string, multiline bool, errs []error) ([]*Regex, []error) {
	var out []*Regex
	for i, e := range exprs {
		r, err := f.compile(e, multiline)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s[%d] %q: %w", opt, i, e, err))
			continue
		}
		out = append(out, r)
	}
	return out, errs
}

func (f *Filter) compile(expr string, multiline bool) (*Regex, error) {
	x := ExpandTags(expr, f.o.UseDNS)
	if strings.TrimSpace(x) == "" {
		return nil, errors.New("cannot add empty regex")
	}
	r, err := f.o.Cache.Compile(x, RegexOptions{Multiline: multiline, Timeout: f.o.MatchTimeout})
	if err != nil {
		return nil, fmt.Errorf("unable to compile regular expression %q: %w", x, err)
	}
	return r, nil
}

var idGroups = []string{"fid", "ip4", "ip6", "dns", "mlfid"}

// checkIDs: each failregex (or the prefregex) must capture a failure id.
func (f *Filter) checkIDs() []error {
	if f.pref != nil && hasAny(f.pref.Names(), idGroups) {
		return nil
	}
	var errs []error
	for i, r := range f.fail {
		if !hasAny(r.Names(), idGroups) {
			errs = append(errs, fmt.Errorf("failregex[%d]: no failure-id group in %q", i, r.Expr()))
		}
	}
	return errs
}

func hasAny(names, want []string) bool {
	for _, n := range names {
		for _, w := range want {
			if n == w {
				return true
			}
		}
	}
	return false
}

// FailRegex returns the compiled failregexes (expanded tags), in order.
func (f *Filter) FailRegex() []*Regex { return f.fail }

// IgnoreRegex returns the compiled ignoreregexes.
func (f *Filter) IgnoreRegex() []*Regex { return f.ignore }

// PrefRegex returns the compiled prefregex or nil.
func (f *Filter) PrefRegex() *Regex { return f.pref }

// ProcessLine finds the date of one log line (terminator stripped) and
// searches it for failures.
func (f *Filter) ProcessLine(raw string) Result {
	var res Result
	tl, noDate := f.splitDate(raw, &res)
	f.find(tl, noDate, &res)
	return res
}

// ProcessLineAt handles a line whose time is already known (journal
// entries): no date detection, the message is matched as is.
func (f *Filter) ProcessLineAt(msg string, t time.Time) Result {
	var res Result
	f.processAt(msg, t, &res)
	return res
}

// ProcessLineInto is ProcessLine into res, for a caller done with the
// previous line's result when it asks for the next: the Failures it
// returns (their Matches and Data included) stay valid only until the
// next ProcessLineInto or ProcessLineAtInto call on f. A caller that
// keeps a failure's Matches or Data copies them. In exchange, a line
// allocates nothing unless it continues an mlfid session or yields more
// than one failure.
func (f *Filter) ProcessLineInto(raw string, res *Result) {
	*res = Result{}
	f.recycle = true
	tl, noDate := f.splitDate(raw, res)
	f.find(tl, noDate, res)
	f.recycle = false
}

// ProcessLineAtInto is ProcessLineAt into res, reusing storage as
// ProcessLineInto does.
func (f *Filter) ProcessLineAtInto(msg string, t time.Time, res *Result) {
	f.recycle = true
	f.processAt(msg, t, res)
	f.recycle = false
}

func (f *Filter) processAt(msg string, t time.Time, res *Result) {
	*res = Result{Time: t, DateFound: true, DateTemplate: -1}
	f.setKnownDate(t)
	f.find(line{date: f.lastText, post: msg}, false, res)
}

// setKnownDate records the time of an entry whose time is known. Journal
// entries come many to a second, so the text of the last second is kept.
func (f *Filter) setKnownDate(t time.Time) {
	sec, loc := t.Unix(), t.Location()
	if f.knownLoc == nil || sec != f.knownSec || loc != f.knownLoc {
		f.lastText = t.Format("2006-01-02T15:04:05")
		f.knownSec, f.knownLoc = sec, loc
	}
	f.lastDate = t
}

// recentDate reports whether the last known date is under 60 s old.
func (f *Filter) recentDate() bool {
	return !f.lastDate.IsZero() && f.lastDate.After(f.o.Now().Add(-60*time.Second))
}

// splitDate cuts the date text out of the line (fail2ban's processLine).
func (f *Filter) splitDate(raw string, res *Result) (line, bool) {
	tl := line{post: raw, full: raw}
	res.DateTemplate = -1
	if dm, ok := f.dates.FindDate(raw); ok {
		res.DateFound, res.DateTemplate = true, dm.Template
		tl = line{raw[:dm.Start], raw[dm.Start:dm.End], raw[dm.End:], raw}
		switch {
		case dm.Start < dm.End && !dm.Time.IsZero():
			res.Time, f.lastDate, f.lastText = dm.Time, dm.Time, tl.date
			f.knownLoc = nil // lastText is a log's own date text now
		case dm.Start < dm.End:
			f.log.Error("cannot parse date text", "text", tl.date)
		case f.recentDate():
			tl, res.Time = line{date: f.lastText, post: raw}, f.lastDate
		default:
			res.Time = f.o.Now()
		}
	}
	if !res.Time.IsZero() {
		return tl, false
	}
	switch {
	case f.recentDate():
		tl, res.Time = line{date: f.lastText, post: raw}, f.lastDate
	case !f.o.CheckAll:
		res.Time = f.o.Now()
	}
	return tl, true
}

func joinText(buf []line) string {
	if len(buf) == 1 {
		l := buf[0]
		return l.pre + l.post + "\n"
	}
	var b strings.Builder
	for i, l := range buf {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.pre)
		b.WriteString(l.post)
	}
	b.WriteByte('\n')
	return b.String()
}
