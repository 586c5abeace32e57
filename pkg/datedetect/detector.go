package datedetect

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
)

// unusedTime is how long (seconds) a template may stay unused before any
// template is allowed to overtake it in the list.
const unusedTime = 300

// notSet is fail2ban's 0x7fffffff "no position yet".
const notSet = 0x7fffffff

// ErrDuplicateTemplate is returned for a datepattern naming the same
// template twice.
var ErrDuplicateTemplate = errors.New("there is already a template with that name")

// Options configures a Detector.
type Options struct {
	// Pattern is the jail/filter `datepattern` value (one template per
	// line); "" means fail2ban's default template list.
	Pattern string
	// Location is `logtimezone` (see ParseTimezone): the zone of dates
	// that carry none. nil means Local.
	Location *time.Location
	// Local is the process time zone fail2ban uses for dates without a zone
	// when logtimezone is unset, and for "today"/"this year". nil means
	// time.Local.
	Local *time.Location
	// Now returns the current time (fail2ban's MyTime: year inference,
	// "today", template aging); nil means time.Now.
	Now func() time.Time
	// YearClock is the real-clock reading %ExY's accepted centuries are
	// built from. fail2ban builds that regex once from the wall clock when
	// it starts, not from MyTime, so a fixed Now (as in fail2ban's own
	// tests) still reads dates of the current decade. Zero means
	// time.Now() when New runs.
	YearClock time.Time
}

// Match is the date found in a line.
type Match struct {
	// Time is the parsed timestamp; zero when the template matched but
	// fail2ban gets no date from the text (invalid date, unknown zone) or
	// the date group is empty (patterns like `^I\(()**`).
	Time time.Time
	// Seconds is Time as fail2ban's float (fractions only for epochs).
	Seconds float64
	// Start and End are the byte offsets of the date text (group 1), which
	// the filter cuts out of the line before matching failregex.
	Start, End int
	// Template indexes Templates().
	Template int
}

// Detector finds dates in log lines. Its template choice is stateful, as
// fail2ban's is (templates that win move up the list); Find serialises
// callers with a mutex, so one Detector may be shared by goroutines but is
// meant for one line stream, in order.
type Detector struct {
	mu       sync.Mutex
	all      []*template // construction order
	order    []*entry    // current order
	defaults bool        // no template configured: use the defaults lazily
	b        builder
	clk      clock
	now      func() time.Time

	cur, cand hit       // match buffers of the running Find
	nowT      time.Time // d.now() of the running Find
	conv      convCache // last strptime conversion
	memo      secondsMemo
	memoHits  int // lines the memo answered (for tests)

	last        bounds // the last winning match
	lastIdx     int
	firstUnused int
}

// entry is a template with this detector's statistics.
type entry struct {
	t        *template
	idx      int
	hits     int     // times this template won
	rawHits  int     // times its regex matched (fail2ban's template.hits)
	lastUsed float64 // seconds
	distance int     // rune offset of its last winning match
}

func (e *entry) weight() float64 {
	return float64(e.hits) * e.t.weight / float64(max(1, e.distance))
}

// posInfo is a match boundary and the characters around it.
type posInfo struct {
	pos        int // rune offset
	before, at string
}

// New builds a detector for opts.Pattern. The error names the bad pattern.
func New(opts Options) (*Detector, error) {
	d := &Detector{now: opts.Now, lastIdx: notSet}
	if d.now == nil {
		d.now = time.Now
	}
	d.clk = clock{local: opts.Local, tz: opts.Location}
	if d.clk.local == nil {
		d.clk.local = time.Local
	}
	d.clk.lz.loc, d.clk.tzz.loc = d.clk.local, d.clk.tz
	d.b.exY = yearRegex(opts.yearClock().In(d.clk.local))
	d.last = bounds{start: 1, end: notSet}
	for _, line := range splitPattern(opts.Pattern) {
		if err := d.appendPattern(line); err != nil {
			return nil, err
		}
	}
	if len(d.all) == 0 {
		d.defaults = true
		if err := d.addTemplates(d.b.defaults31()); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// yearClock is the wall-clock reading %ExY is built from.
func (o Options) yearClock() time.Time {
	if o.YearClock.IsZero() {
		return time.Now()
	}
	return o.YearClock
}

var reNewlines = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("\n+") })

// splitPattern splits a multi-line datepattern as fail2ban does.
func splitPattern(p string) []string {
	var out []string
	for _, l := range reNewlines().Split(p, -1) {
		if l = pyStrip(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// appendPattern mirrors DateDetector.appendTemplate for one line.
func (d *Detector) appendPattern(pattern string) error {
	key := patternKey(pattern)
	switch {
	case key == "{^LN-BEG}":
		all, err := d.b.defaults31()
		if err != nil {
			return err
		}
		var lb []*template
		for _, t := range all {
			if t.flags&flagLineBegin != 0 {
				lb = append(lb, t)
			}
		}
		return d.addTemplates(lb, nil)
	case key == "{DEFAULT}":
		// fail2ban's filter for {DEFAULT} rejects every template; the
		// defaults only come in if the detector ends up empty.
		return nil
	case strings.Contains(key, "{DATE}"):
		return d.addTemplates(d.b.withDate(pattern))
	case key == "{NONE}":
		t, err := d.b.fromPattern("{UNB}^", key)
		if err != nil {
			return err
		}
		return d.add(t, false)
	}
	t, err := d.b.fromPattern(pattern, key)
	if err != nil {
		return err
	}
	return d.add(t, false)
}

// addTemplates appends a template set; duplicates are skipped when the
// detector already had templates, as in fail2ban's addDefaultTemplate.
func (d *Detector) addTemplates(ts []*template, err error) error {
	if err != nil {
		return err
	}
	ignoreDup := len(d.all) > 0
	for _, t := range ts {
		if err := d.add(t, ignoreDup); err != nil {
			return err
		}
	}
	return nil
}

func (d *Detector) add(t *template, ignoreDup bool) error {
	for _, o := range d.all {
		if o.name == t.name {
			if ignoreDup {
				return nil
			}
			return fmt.Errorf("datepattern %q: %w: %s", t.pattern, ErrDuplicateTemplate, t.name)
		}
	}
	d.order = append(d.order, &entry{t: t, idx: len(d.all), distance: notSet})
	d.all = append(d.all, t)
	return nil
}

// Templates returns the template names in construction order, as
// fail2ban-regex prints them.
func (d *Detector) Templates() []string {
	out := make([]string, len(d.all))
	for i, t := range d.all {
		out[i] = t.name
	}
	return out
}

// TemplateHits is one row of fail2ban-regex's "Date template hits".
type TemplateHits struct {
	Name string
	Hits int
}

// Hits returns the templates in their current order with the number of
// lines each won.
func (d *Detector) Hits() []TemplateHits {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]TemplateHits, len(d.order))
	for i, e := range d.order {
		out[i] = TemplateHits{Name: e.t.name, Hits: e.hits}
	}
	return out
}

// Default reports whether fail2ban-regex would describe this detector as
// "Default Detectors" (none or more than two templates).
func (d *Detector) Default() bool {
	return len(d.all) == 0 || len(d.all) > 2
}

// Describe returns what fail2ban-regex prints after "Use datepattern :":
// the first template's pattern and name, or ("", "Default Detectors") when
// Default() holds. Built-in Epoch/TAI64N templates have no pattern.
func (d *Detector) Describe() (pattern, name string) {
	if d.Default() {
		return "", "Default Detectors"
	}
	t := d.all[0]
	if t.kind == kindStrptime || t.grpIdx == 2 {
		pattern = t.pattern
	}
	return pattern, t.name
}
