package regextest

import (
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	hasPre := strings.TrimSpace(t.prefRegex) != ""
	ignore := append(slices.Clone(t.extraIgnore), exprs(t.ignore)...)
	var jobs []compileJob
	if hasPre {
		jobs = append(jobs, compileJob{expr: t.prefRegex})
	}
	for _, s := range t.fail {
		jobs = append(jobs, compileJob{expr: s.expr, multiline: t.maxLines > 1})
	}
	for _, e := range ignore {
		jobs = append(jobs, compileJob{expr: e})
	}
	t.compileAll(jobs, dns)
	// The filter takes these regexes from t.regexes, which holds them
	// only weakly: a collection before filter.New would compile them
	// again. They stay referenced here until it returns.
	defer runtime.KeepAlive(jobs)
	fail := jobs
	var pre *filter.Regex
	if hasPre {
		if jobs[0].err != nil {
			return jobs[0].err
		}
		pre, fail = jobs[0].r, jobs[1:]
	}
	for i, j := range fail {
		if j.err != nil {
			return j.err
		}
		if i < len(t.fail) && !hasID(j.r) && (pre == nil || !hasID(pre)) {
			return fmt.Errorf("No failure-id group in '%s'", j.r.Expr())
		}
	}
	t.dates = nil
	var dates filter.DateFinder
	// A journal has its own timestamps; the detector only exists (with
	// no hits) when a datepattern was set before the journal was chosen.
	if !journal || t.datePatternSet {
		d := t.detector
		t.detector = nil // a filter's detector keeps state: never share it
		if d == nil {
			var err error
			if d, err = t.newDetector(t.datePattern); err != nil {
				return fmt.Errorf("Failed to set datepattern '%s' (may be an invalid format or unescaped percent char): %w", t.datePattern, err)
			}
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

// compileJob is one regex for compileAll and its outcome.
type compileJob struct {
	expr      string
	multiline bool
	r         *filter.Regex
	err       error
}

// compileAll compiles every job, on as many goroutines as there are
// cores: the stock sshd filter's two dozen regexes take tens of
// milliseconds to compile, all before the first line is read. The
// outcome does not depend on the order (each job has its own result and
// the cache is safe for concurrent use); build reports the errors in
// fail2ban's order.
func (t *tester) compileAll(jobs []compileJob, dns string) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(jobs); i = int(next.Add(1) - 1) {
				j := &jobs[i]
				j.r, j.err = t.compile(j.expr, dns, j.multiline)
			}
		})
	}
	wg.Wait()
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
