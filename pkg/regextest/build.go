package regextest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/filter"
	"github.com/f2b/f2b/pkg/pyval"
)

// idGroups are the groups a failregex (or the prefregex) needs.
var idGroups = []string{"fid", "ip4", "ip6", "dns", "mlfid"}

// build compiles the regexes in fail2ban's order, reporting the first
// error as fail2ban-regex does, then creates the filter.
func (t *tester) build(journal bool) error {
	dns := t.dnsPolicy()
	var pre *filter.Regex
	if strings.TrimSpace(t.prefRegex) != "" {
		r, err := t.compile(t.prefRegex, dns, false)
		if err != nil {
			return err
		}
		pre = r
	}
	for _, s := range t.fail {
		r, err := t.compile(s.expr, dns, t.maxLines > 1)
		if err != nil {
			return err
		}
		if !hasID(r) && (pre == nil || !hasID(pre)) {
			return fmt.Errorf("No failure-id group in '%s'", r.Expr())
		}
	}
	ignore := append(slices.Clone(t.extraIgnore), exprs(t.ignore)...)
	for _, e := range ignore {
		if _, err := t.compile(e, dns, false); err != nil {
			return err
		}
	}
	t.dates = nil
	var dates filter.DateFinder
	// A journal has its own timestamps; the detector only exists (with
	// no hits) when a datepattern was set before the journal was chosen.
	if !journal || t.datePatternSet {
		d, err := t.newDetector(t.datePattern)
		if err != nil {
			return fmt.Errorf("Failed to set datepattern '%s' (may be an invalid format or unescaped percent char): %w", t.datePattern, err)
		}
		t.dates = &recDates{d: d, names: d.Templates(), tz: t.loc != nil}
		dates = t.dates
	}
	flt, err := filter.New(filter.Options{
		FailRegex:   exprs(t.fail),
		IgnoreRegex: ignore,
		PrefRegex:   t.prefRegex,
		Local:       t.env.Local,
		MaxLines:    t.maxLines,
		UseDNS:      dns,
		Dates:       dates,
		CheckAll:    t.checkAll(),
		Logger:      t.env.Logger,
		Now:         t.env.Now,
		// fail2ban-regex has no match timeout; the server's guard against
		// catastrophic backtracking would turn a slow but real match on a
		// long line (or a loaded machine) into a miss here.
		MatchTimeout: testerMatchTimeout,
		Cache:        &t.regexes,
	})
	if err != nil {
		return err
	}
	t.flt = flt
	return nil
}

// testerMatchTimeout bounds one regexp2 search in the tester: long enough
// that only a truly runaway pattern is cut off.
const testerMatchTimeout = 30 * time.Second

// dnsPolicy folds -r into the usedns value the filter understands.
func (t *tester) dnsPolicy() string {
	if t.o.Raw && t.useDNS != filter.UseDNSNo {
		return filter.UseDNSRaw
	}
	return t.useDNS
}

func (t *tester) compile(expr, dns string, multiline bool) (*filter.Regex, error) {
	x := filter.ExpandTags(expr, dns)
	if strings.TrimSpace(x) == "" {
		return nil, fmt.Errorf("Cannot add empty regex")
	}
	// the same options as the filter's, so that it reuses this regex
	r, err := t.regexes.Compile(x, filter.RegexOptions{Multiline: multiline, Timeout: testerMatchTimeout})
	if err != nil {
		return nil, fmt.Errorf("Unable to compile regular expression '%s':\n%v", x, err)
	}
	return r, nil
}

func hasID(r *filter.Regex) bool {
	for _, n := range r.Names() {
		if slices.Contains(idGroups, n) {
			return true
		}
	}
	return false
}

func exprs(rs []*regexStat) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.expr
	}
	return out
}

// groupDict renders a match's named groups as a Python dict repr.
func groupDict(m *filter.Match) string {
	var d pyval.Dict
	for _, n := range m.Names() {
		var v any
		if s, ok := m.Group(n); ok {
			v = s
		}
		d = setItem(d, n, v)
	}
	return pyval.Repr(d)
}

func regexpMustCompile(s string) *regexp.Regexp { return regexp.MustCompile(s) }
