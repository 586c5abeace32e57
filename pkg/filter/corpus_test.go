package filter_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/config"
	"github.com/f2b/f2b/pkg/datedetect"
	"github.com/f2b/f2b/pkg/filter"
)

// This file replays sample logs through the whole Go stack: config.LoadFilter
// resolves the filter, pkg/datedetect finds the dates, pkg/filter matches.
// The walk follows fail2ban's samplestestcase (spec §5).

var annotRE = regexp.MustCompile(`^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$`)

// corpusCombo is one filter option combination of a sample file.
type corpusCombo struct {
	name string         // fail2ban's filter test name, e.g. "sshd{'mode': 'ddos'}"
	args map[string]any // filter arguments (keys not starting with "test.")
	opts map[string]any // all options, for constraints
}

// corpusLine is one judged (line, combination) case.
type corpusLine struct {
	file     string
	lnnum    int
	line     string
	faildata map[string]any
	combo    corpusCombo
}

// walkSamples reads a sample file (and the files it adds) and returns the
// judged cases in order.
func walkSamples(t *testing.T, logs, name string) []corpusLine {
	t.Helper()
	var out []corpusLine
	files := []string{name}
	var common map[string]any
	var active []corpusCombo
	for i := 0; i < len(files); i++ {
		b, err := os.ReadFile(filepath.Join(logs, files[i]))
		if err != nil {
			t.Fatalf("sample log: %v", err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		ignoreBlock := false
		for k := 0; k < len(lines); k++ {
			ln, lnnum := lines[k], k+1
			var faildata map[string]any
			if m := annotRE.FindStringSubmatch(ln); m != nil {
				var data any
				if err := json.Unmarshal([]byte(m[2]), &data); err != nil {
					t.Fatalf("%s:%d: %v", files[i], lnnum, err)
				}
				switch m[1] {
				case "fileOptions":
					common, _ = data.(map[string]any)
					continue
				case "filterOptions":
					active, ignoreBlock = filterCombos(name, data, common)
					continue
				case "addFILE":
					files = append(files, fmt.Sprint(data))
					continue
				}
				faildata, _ = data.(map[string]any)
				if k+1 >= len(lines) {
					break
				}
				k++
				ln, lnnum = lines[k], k+1
			} else if ignoreBlock || strings.HasPrefix(ln, "#") || strings.TrimSpace(ln) == "" {
				continue
			}
			if ignoreBlock {
				continue
			}
			if active == nil {
				active = []corpusCombo{{name: name, args: map[string]any{}, opts: map[string]any{}}}
			}
			ln = strings.TrimRight(ln, "\r\n")
			for _, c := range active {
				if s, ok := faildata["constraint"].(string); ok && !evalCondition(s, name, c.opts) {
					continue
				}
				out = append(out, corpusLine{file: files[i], lnnum: lnnum, line: ln, faildata: faildata, combo: c})
			}
		}
	}
	return out
}

// filterCombos expands a filterOptions annotation; ignoreBlock is set when
// the last test.condition is false.
func filterCombos(name string, data any, common map[string]any) (combos []corpusCombo, ignoreBlock bool) {
	list, ok := data.([]any)
	if !ok {
		list = []any{data}
	}
	for _, d := range list {
		opts := map[string]any{}
		for k, v := range common {
			opts[k] = v
		}
		m, _ := d.(map[string]any)
		for k, v := range m {
			opts[k] = v
		}
		if c, ok := opts["test.condition"].(string); ok && c != "" {
			ignoreBlock = !evalCondition(c, name, opts)
		}
		if ignoreBlock {
			continue
		}
		args := map[string]any{}
		for k, v := range opts {
			if !strings.HasPrefix(k, "test.") {
				args[k] = v
			}
		}
		cname, _ := opts["test.filter-name"].(string)
		if cname == "" && len(args) > 0 {
			cname = pyDictRepr(args)
		}
		combos = append(combos, corpusCombo{name: name + cname, args: args, opts: opts})
	}
	return combos, ignoreBlock
}

// pyDictRepr prints a string dict like Python's str(dict) in JSON key
// order; only used to name combinations, so key order is cosmetic.
func pyDictRepr(m map[string]any) string {
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("'%s': '%v'", k, m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

var condRE = regexp.MustCompile(`^\s*(name|opts\.get\('([\w.-]+)'\))\s*(==|!=)\s*'([^']*)'\s*$`)

// evalCondition evaluates the Python expressions the corpus uses:
// name == 'x', opts.get('k') == 'v' and their != forms.
func evalCondition(expr, name string, opts map[string]any) bool {
	m := condRE.FindStringSubmatch(expr)
	if m == nil {
		panic(fmt.Sprintf("unsupported sample constraint %q", expr))
	}
	lhs := name
	if m[2] != "" {
		v, ok := opts[m[2]]
		lhs = fmt.Sprint(v)
		if !ok {
			lhs = "\x00None"
		}
	}
	return (lhs == m[4]) == (m[3] == "==")
}

// filterSpec builds "name[k=v, …]" for config.LoadFilter.
func filterSpec(name string, args map[string]any) string {
	if len(args) == 0 {
		return name
	}
	var parts []string
	for k, v := range args {
		parts = append(parts, fmt.Sprintf("%s=%v", k, v))
	}
	slices.Sort(parts)
	return name + "[" + strings.Join(parts, ", ") + "]"
}

type stackFilter struct {
	f     *filter.Filter
	exprs []string
	used  map[int]bool
}

// replayCorpus judges the cases of one filter test through the Go stack.
func replayCorpus(t *testing.T, confDir, name string, cases []corpusLine) int {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin") // fail2ban's test TZ CET-01CEST-02,M3.5.0,M10.5.0
	if err != nil {
		t.Skipf("time zone data: %v", err)
	}
	filters := map[string]*stackFilter{}
	var order []string
	usedRe := map[string]bool{}
	for _, c := range cases {
		sf := filters[c.combo.name]
		if sf == nil {
			def, err := config.LoadFilter(confDir, filterSpec(name, c.combo.args), nil)
			if err != nil {
				t.Fatalf("LoadFilter(%q): %v", filterSpec(name, c.combo.args), err)
			}
			f, err := filter.New(filter.Options{
				FailRegex: def.FailRegex, IgnoreRegex: def.IgnoreRegex, PrefRegex: def.PrefRegex,
				DatePattern: def.DatePattern, MaxLines: def.MaxLines,
				UseDNS: filter.UseDNSRaw, CheckAll: true, Local: loc,
				Now: func() time.Time { return time.Unix(testNow, 0) },
			})
			if err != nil {
				t.Fatalf("%s: %v", c.combo.name, err)
			}
			sf = &stackFilter{f: f, exprs: def.FailRegex, used: map[int]bool{}}
			filters[c.combo.name] = sf
			order = append(order, c.combo.name)
		}
		var res filter.Result
		if c.combo.opts["logtype"] == "journal" {
			prefix, _ := c.combo.opts["test.prefix-line"].(string)
			res = sf.f.ProcessLineAt(prefix+c.line, time.Unix(testNow, 0))
		} else {
			res = sf.f.ProcessLine(c.line)
		}
		for _, i := range res.Hits {
			sf.used[i], usedRe[sf.exprs[i]] = true, true
		}
		key := fmt.Sprintf("%s:%s:%d", name, c.file, c.lnnum)
		errs := judgeResult(res, c.faildata)
		if reason, ok := corpusExceptions[key]; ok {
			if len(errs) == 0 {
				t.Errorf("%s: listed exception (%s) passes now", key, reason)
			}
			continue
		}
		for _, err := range errs {
			t.Errorf("%s [%s]: %v\n  line: %q", key, c.combo.name, err, c.line)
		}
	}
	for _, n := range order {
		for i, e := range filters[n].exprs {
			if !filters[n].used[i] && !usedRe[e] {
				t.Errorf("%s: regex has no samples: %d: %q", n, i, e)
			}
		}
	}
	return len(cases)
}

// corpusExceptions lists cases the Go stack is known to judge differently
// from fail2ban, with the reason ("filter:file:line").
var corpusExceptions = map[string]string{}

// judgeResult applies the samples test's verdict to one result.
func judgeResult(res filter.Result, faildata map[string]any) []error {
	if len(res.Errors) > 0 {
		return res.Errors
	}
	fails := slices.DeleteFunc(slices.Clone(res.Failures), func(f filter.Failure) bool { return f.NoFail })
	want, _ := faildata["match"].(bool)
	switch {
	case len(fails) == 0 && want:
		return []error{fmt.Errorf("line not matched when should have")}
	case len(fails) == 0:
		return nil
	case !want:
		return []error{fmt.Errorf("line matched when shouldn't have: %+v", fails[0])}
	case len(fails) > 1:
		return []error{fmt.Errorf("multiple regexes matched: %+v", fails)}
	}
	return compareFailure(fails[0], faildata)
}

// TestCorpusStock replays fail2ban's sample logs through config.LoadFilter
// and pkg/datedetect, not only pkg/filter (TestSamples isolates the latter).
func TestCorpusStock(t *testing.T) {
	needFail2ban(t)
	needExYearFromClock(t)
	total := 0
	for _, name := range filterNames(t, f2bConfDir, func(string) bool { return true }) {
		t.Run(name, func(t *testing.T) {
			total += replayCorpus(t, f2bConfDir, name, walkSamples(t, f2bLogsDir, name))
		})
	}
	t.Logf("%d judged line×option cases, %d listed exceptions", total, len(corpusExceptions))
}

// needExYearFromClock skips while pkg/datedetect derives %ExY's accepted
// centuries from Options.Now: fail2ban builds that regex from the wall
// clock at start-up, so with the samples' fixed 2005 "now" it still reads
// 2011-2029 dates. Once datedetect does the same, the probe passes and the
// test runs.
func needExYearFromClock(t *testing.T) {
	t.Helper()
	d, err := datedetect.New(datedetect.Options{Now: func() time.Time { return time.Unix(testNow, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Find("2011-12-25 17:09:20: probe"); !ok {
		t.Skip("pkg/datedetect: ExY century taken from the injected now, not the wall clock; stock corpus through the full stack blocked")
	}
}

// TestCorpusBundled walks our bundled config/filter.d and replays
// testdata/logs/<name> for each; a bundled filter without samples fails.
func TestCorpusBundled(t *testing.T) {
	confDir := filepath.Join("..", "..", "config")
	if _, err := os.Stat(filepath.Join(confDir, "filter.d")); err != nil {
		t.Skipf("no bundled filters yet: %v", err)
	}
	for _, name := range filterNames(t, confDir, func(string) bool { return true }) {
		t.Run(name, func(t *testing.T) {
			logs := filepath.Join("testdata", "logs")
			if _, err := os.Stat(filepath.Join(logs, name)); err != nil {
				t.Fatalf("bundled filter %q has no sample log testdata/logs/%s", name, name)
			}
			replayCorpus(t, confDir, name, walkSamples(t, logs, name))
		})
	}
}
