package filter_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/filter"
)

const (
	f2bPython   = "/usr/bin/python3"
	f2bPkgDir   = "/usr/lib/python3/dist-packages/fail2ban"
	f2bConfDir  = "/etc/fail2ban"
	f2bLogsDir  = f2bPkgDir + "/tests/files/logs"
	f2bTestConf = f2bPkgDir + "/tests/config"
	testNow     = 1124013600 // fail2ban's TEST_NOW
)

// needFail2ban skips (or fails under CI=true) when the fail2ban oracle is
// missing.
func needFail2ban(t *testing.T) {
	t.Helper()
	for _, p := range []string{f2bPython, f2bLogsDir, f2bConfDir + "/filter.d"} {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("fail2ban test oracle missing: %v", err)
			}
			t.Skipf("fail2ban 1.0.2 (Debian package) not installed: %v", err)
		}
	}
}

// sampleEvent is one line of testdata/oracle.py output.
type sampleEvent struct {
	Test     string         `json:"test"`
	File     string         `json:"file"`
	Lnnum    int            `json:"lnnum"`
	Filter   string         `json:"filter"`
	Faildata map[string]any `json:"faildata"`
	Def      *struct {
		PrefRegex   string   `json:"prefregex"`
		FailRegex   []string `json:"failregex"`
		IgnoreRegex []string `json:"ignoreregex"`
		MaxLines    int      `json:"maxlines"`
		DatePattern string   `json:"datepattern"`
	} `json:"def"`
	Journal bool `json:"journal"`
	Date    *struct {
		S    int      `json:"s"`
		E    int      `json:"e"`
		Time *float64 `json:"time"`
	} `json:"date"`
	Line string `json:"line"`
}

// fixedDate replays the date split fail2ban made for the current line, so
// the filter logic is judged on its own.
type fixedDate struct {
	m  filter.DateMatch
	ok bool
}

func (d *fixedDate) FindDate(string) (filter.DateMatch, bool) { return d.m, d.ok }

type sampleFilter struct {
	f     *filter.Filter
	srv   *filter.Filter // the same filter in server mode (first match wins)
	dates *fixedDate
	exprs []string
	used  map[int]bool
}

// engineCount records the engine of every distinct expanded regex.
var engineCount = map[string]filter.Engine{}

// sampleExceptions lists sample lines our filter is known to judge
// differently from fail2ban, with the reason ("test:file:line").
var sampleExceptions = map[string]string{}

func runOracle(t *testing.T, confDir string, names []string) []sampleEvent {
	t.Helper()
	args := append([]string{"testdata/oracle.py", confDir, f2bLogsDir}, names...)
	cmd := exec.Command(f2bPython, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle.py: %v\n%s", err, stderr.String())
	}
	var evs []sampleEvent
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev sampleEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("oracle output: %v", err)
		}
		if ev.Test != "" {
			evs = append(evs, ev)
		}
	}
	return evs
}

// testFilterDir copies fail2ban's two zzz-* test filters into a temp
// config dir: Debian installs them with a relative include of common.conf
// that points outside the package.
func testFilterDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "filter.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"zzz-generic-example.conf", "zzz-sshd-obsolete-multiline.conf"} {
		b, err := os.ReadFile(filepath.Join(f2bTestConf, "filter.d", n))
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("../../../../../../../config/filter.d/common.conf"), []byte(f2bConfDir+"/filter.d/common.conf"))
		if err := os.WriteFile(filepath.Join(dir, "filter.d", n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func filterNames(t *testing.T, dir string, keep func(string) bool) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, "filter.d"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if strings.HasSuffix(n, ".conf") && !strings.HasSuffix(n, "common.conf") && keep(n) {
			names = append(names, strings.TrimSuffix(n, ".conf"))
		}
	}
	return names
}

// TestSamples replays fail2ban's sample logs against the stock filters
// (definitions and date splits from fail2ban itself via oracle.py) and
// judges every line like fail2ban's samplestestcase.
func TestSamples(t *testing.T) {
	needFail2ban(t)
	evs := runOracle(t, f2bConfDir, filterNames(t, f2bConfDir, func(string) bool { return true }))
	testConf := testFilterDir(t)
	evs = append(evs, runOracle(t, testConf, filterNames(t, testConf, func(string) bool { return true }))...)
	byTest := map[string][]sampleEvent{}
	var order []string
	for _, ev := range evs {
		if _, ok := byTest[ev.Test]; !ok {
			order = append(order, ev.Test)
		}
		byTest[ev.Test] = append(byTest[ev.Test], ev)
	}
	lines, excepted := 0, 0
	for _, name := range order {
		t.Run(name, func(t *testing.T) {
			n, x := replaySamples(t, byTest[name])
			lines += n
			excepted += x
		})
	}
	t.Logf("%d filters, %d judged line×option cases, %d listed exceptions", len(order), lines, excepted)
	byEngine := map[filter.Engine]int{}
	for _, e := range engineCount {
		byEngine[e]++
	}
	t.Logf("%d distinct regexes: %d on RE2, %d on regexp2", len(engineCount), byEngine[filter.EngineRE2], byEngine[filter.EngineRegexp2])
}

func replaySamples(t *testing.T, evs []sampleEvent) (lines, excepted int) {
	filters := map[string]*sampleFilter{}
	var names []string
	usedRe := map[string]bool{}
	for _, ev := range evs {
		sf := filters[ev.Filter]
		if sf == nil {
			if ev.Def == nil {
				t.Fatalf("%s: no definition for %q", ev.Test, ev.Filter)
			}
			sf = newSampleFilter(t, ev)
			filters[ev.Filter] = sf
			names = append(names, ev.Filter)
		}
		lines++
		key := fmt.Sprintf("%s:%s:%d", ev.Test, ev.File, ev.Lnnum)
		errs := judgeSample(sf, ev, usedRe)
		if reason, ok := sampleExceptions[key]; ok {
			excepted++
			if len(errs) == 0 {
				t.Errorf("%s: listed as exception (%s) but passes now", key, reason)
			}
			continue
		}
		for _, err := range errs {
			t.Errorf("%s [%s]: %v\n  line: %q", key, ev.Filter, err, ev.Line)
		}
	}
	for _, n := range names {
		sf := filters[n]
		for i, e := range sf.exprs {
			if !sf.used[i] && !usedRe[e] {
				t.Errorf("%s: regex has no samples: %d: %q", n, i, e)
			}
		}
	}
	return lines, excepted
}

func newSampleFilter(t *testing.T, ev sampleEvent) *sampleFilter {
	t.Helper()
	d := &fixedDate{}
	o := filter.Options{
		FailRegex:   ev.Def.FailRegex,
		IgnoreRegex: ev.Def.IgnoreRegex,
		PrefRegex:   ev.Def.PrefRegex,
		MaxLines:    ev.Def.MaxLines,
		UseDNS:      filter.UseDNSRaw,
		Dates:       d,
		CheckAll:    true,
		Now:         func() time.Time { return time.Unix(testNow, 0) },
	}
	f, err := filter.New(o)
	if err != nil {
		t.Fatalf("%s: %v", ev.Filter, err)
	}
	o.CheckAll = false
	srv, err := filter.New(o)
	if err != nil {
		t.Fatalf("%s: %v", ev.Filter, err)
	}
	for _, r := range append(append(f.FailRegex(), f.IgnoreRegex()...), f.PrefRegex()) {
		if r != nil {
			engineCount[r.Expr()] = r.Engine()
		}
	}
	return &sampleFilter{f: f, srv: srv, dates: d, exprs: ev.Def.FailRegex, used: map[int]bool{}}
}

// judgeSample judges the check-all (fail2ban-regex) result like the
// samples test does, then checks server mode (first match wins) against
// it: the server's failure must be one check-all found, and a plain single
// failure (no nofail/pending match around) must be found by both.
func judgeSample(sf *sampleFilter, ev sampleEvent, usedRe map[string]bool) []error {
	res, srv := sampleResults(sf, ev)
	all := slices.Clone(res.Failures)
	errs := judgeCheckAll(sf, ev, res, usedRe)
	if len(errs) > 0 {
		return errs
	}
	if len(srv.Failures) > 0 && !slices.ContainsFunc(all, func(f filter.Failure) bool { return f.ID == srv.Failures[0].ID }) {
		return []error{fmt.Errorf("server mode found %v, check-all mode %+v", srv.Failures[0].ID, all)}
	}
	if len(all) == 1 && !all[0].NoFail && res.NoFail == 0 && res.Pending == 0 && len(srv.Failures) != 1 {
		return []error{fmt.Errorf("server mode: %d failures, check-all mode 1", len(srv.Failures))}
	}
	return nil
}

func sampleResults(sf *sampleFilter, ev sampleEvent) (res, srv filter.Result) {
	if ev.Journal {
		return sf.f.ProcessLineAt(ev.Line, time.Unix(testNow, 0)), sf.srv.ProcessLineAt(ev.Line, time.Unix(testNow, 0))
	}
	{
		sf.dates.m, sf.dates.ok = filter.DateMatch{}, ev.Date != nil
		if ev.Date != nil {
			sf.dates.m = filter.DateMatch{Start: ev.Date.S, End: ev.Date.E}
			if ev.Date.Time != nil {
				sec, frac := math.Modf(*ev.Date.Time)
				sf.dates.m.Time = time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3)
			}
		}
	}
	return sf.f.ProcessLine(ev.Line), sf.srv.ProcessLine(ev.Line)
}

func judgeCheckAll(sf *sampleFilter, ev sampleEvent, res filter.Result, usedRe map[string]bool) []error {
	for _, i := range res.Hits {
		sf.used[i] = true
		usedRe[sf.exprs[i]] = true
	}
	for _, err := range res.Errors {
		return []error{err}
	}
	res.Failures = slices.DeleteFunc(res.Failures, func(f filter.Failure) bool { return f.NoFail })
	want, _ := ev.Faildata["match"].(bool)
	switch {
	case len(res.Failures) == 0 && want:
		return []error{fmt.Errorf("line not matched when should have")}
	case len(res.Failures) == 0:
		return nil
	case !want:
		return []error{fmt.Errorf("line matched when shouldn't have: %+v", res.Failures[0])}
	case len(res.Failures) > 1:
		return []error{fmt.Errorf("multiple regexes matched: %+v", res.Failures)}
	}
	return compareFailure(res.Failures[0], ev.Faildata)
}

func compareFailure(got filter.Failure, want map[string]any) []error {
	var errs []error
	for k, v := range want {
		switch k {
		case "time", "match", "desc", "constraint":
			continue
		}
		if err := compareKey(got, k, v); err != nil {
			errs = append(errs, err)
		}
	}
	if ts, ok := want["time"].(string); ok {
		if err := compareTime(got.Time, ts); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func compareKey(got filter.Failure, k string, v any) error {
	fv, ok := any(nil), false
	if s, has := got.Data.Get(k); has {
		fv, ok = s, true
	}
	switch {
	case !ok && k == "host":
		fv, ok = got.ID.String(), true
	case !ok && k == "attempts":
		fv, ok = float64(len(got.Matches)), true
	case !ok && k == "users" && got.Users != nil:
		fv, ok = got.Users, true
	}
	if list, isList := v.([]any); isList {
		var w []string
		for _, x := range list {
			w = append(w, fmt.Sprint(x))
		}
		g, _ := fv.([]string)
		g, w = slices.Sorted(slices.Values(g)), slices.Sorted(slices.Values(w))
		if !slices.Equal(g, w) {
			return fmt.Errorf("%s: got %q, want %q", k, g, w)
		}
		return nil
	}
	if v == nil && !ok {
		return nil
	}
	if a, b, isIP := bothIPs(fv, v); isIP {
		if a != b {
			return fmt.Errorf("%s: got %v, want %v", k, fv, v)
		}
		return nil
	}
	if fmt.Sprint(fv) != fmt.Sprint(v) || (v == nil) != !ok {
		return fmt.Errorf("%s: got %v, want %v", k, fv, v)
	}
	return nil
}

// bothIPs compares like fail2ban's IPAddr.__eq__: two addresses by value.
func bothIPs(a, b any) (netip.Addr, netip.Addr, bool) {
	x, err1 := netip.ParseAddr(fmt.Sprint(a))
	y, err2 := netip.ParseAddr(fmt.Sprint(b))
	return x, y, err1 == nil && err2 == nil
}

var jsonTimeRE = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$`)

// compareTime checks a failJSON time (strptime %Y-%m-%dT%H:%M:%S[.%f],
// which also takes single digits) as local time of the test zone.
func compareTime(got time.Time, ts string) error {
	loc, err := time.LoadLocation("Europe/Berlin") // = the test TZ CET-01CEST-02,M3.5.0,M10.5.0
	if err != nil {
		return err
	}
	m := jsonTimeRE.FindStringSubmatch(ts)
	if m == nil {
		return fmt.Errorf("bad failJSON time %q", ts)
	}
	n := make([]int, 7)
	for i := range 6 {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	if m[7] != "" {
		us, _ := strconv.Atoi((m[7] + "00000")[:6])
		n[6] = us * 1000
	}
	w := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], n[6], loc)
	if !got.Equal(w) {
		return fmt.Errorf("time: got %s, want %s", got.In(loc), w)
	}
	return nil
}
