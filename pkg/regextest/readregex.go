package regextest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/f2b/f2b/pkg/config"
	"github.com/f2b/f2b/pkg/pyval"
)

// filterNameRE decides whether a REGEX argument is tried as a filter
// name (fail2ban-regex: `(?ms)^/{0,3}[\w/_\-.]+(?:\[.*\])?$`).
var filterNameRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?s)^/{0,3}[\p{L}\p{N}_/\-.]+(?:\[.*\])?$`)
})

// readFail handles the REGEX argument: a filter (name, name[args] or
// file) or a literal failregex.
func (t *tester) readFail(value string) error {
	if filterNameRE().MatchString(value) {
		done, err := t.tryFilter(value)
		if done || err != nil {
			return err
		}
	}
	t.output("Use   failregex line : %s", shortstr(value))
	t.fail = []*regexStat{{expr: value}}
	return nil
}

// readIgnore handles IGNOREREGEX: always a literal. In 1.0.2 the filter's
// own ignoreregexes stay active but leave the statistics.
func (t *tester) readIgnore(value string) {
	t.output("Use ignoreregex line : %s", shortstr(value))
	for _, r := range t.ignore {
		t.extraIgnore = append(t.extraIgnore, r.expr)
	}
	t.ignore = []*regexStat{{expr: value}}
}

// tryFilter looks value up as a filter file; done is false when no file
// exists (the value is then a literal regex).
func (t *tester) tryFilter(value string) (done bool, err error) {
	name, opts, err := parseFilterSpec(value)
	if err != nil {
		t.output("ERROR: Wrong filter name or options: %s", err)
		t.output("       while parsing: %s", value)
		return true, &printedError{err}
	}
	file, basedir := t.findFilterFile(name)
	if file == "" {
		return false, nil
	}
	dir, spec := basedir, value
	if basedir == t.o.Config || filepath.Base(basedir) == "filter.d" || (!strings.Contains(tail6(name), ".") && !strings.Contains(name, "/")) {
		if filepath.Base(basedir) == "filter.d" {
			dir = filepath.Dir(basedir)
		}
		short := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
		t.output("Use   failregex filter file : %s, basedir: %s", short, dir)
		spec = short + specArgs(value)
	} else {
		t.output("Use   failregex file : %s", name)
		abs, _ := filepath.Abs(file)
		dir, spec = filepath.Dir(abs), abs+specArgs(value)
	}
	if len(opts) > 0 {
		t.output("Use   filter options : %s", pyval.Repr(opts))
	}
	var vars map[string]string
	if t.logType != "" {
		vars = map[string]string{"logtype": t.logType}
	}
	fd, err := config.LoadFilter(dir, spec, vars)
	if err != nil {
		t.output("Wrong config file: %s", err)
		t.output("ERROR: failed to load filter %s", value)
		return true, &printedError{err}
	}
	return true, t.applyFilter(fd)
}

func tail6(s string) string {
	r := []rune(s)
	if len(r) > 6 {
		r = r[len(r)-6:]
	}
	return string(r)
}

// specArgs returns the "[...]" part of a filter spec.
func specArgs(value string) string {
	if i := strings.IndexByte(value, '['); i >= 0 {
		return value[i:]
	}
	return ""
}

// findFilterFile returns the first existing candidate file and the base
// directory fail2ban-regex derives from it.
func (t *tester) findFilterFile(name string) (file, basedir string) {
	basedir = t.o.Config
	tries := []string{name}
	if !strings.Contains(tail6(name), ".") {
		tries = append(tries, name+".conf", name+".local")
	}
	for _, f := range tries {
		if !strings.Contains(f, "/") {
			if filepath.Base(basedir) == "filter.d" {
				f = filepath.Join(basedir, f)
			} else {
				f = filepath.Join(basedir, "filter.d", f)
			}
		} else {
			basedir = filepath.Dir(f)
		}
		if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
			return f, basedir
		}
	}
	return "", basedir
}

// applyFilter takes the resolved filter's settings in the order of the
// stream fail2ban-client would send (maxlines and prefregex first,
// datepattern after the regexes).
func (t *tester) applyFilter(fd *config.FilterDef) error {
	if _, ok := fd.Options["maxlines"]; ok {
		t.setMaxLines(fd.MaxLines)
	}
	t.prefRegex = fd.PrefRegex
	for _, r := range fd.FailRegex {
		t.fail = append(t.fail, &regexStat{expr: r})
	}
	for _, r := range fd.IgnoreRegex {
		t.ignore = append(t.ignore, &regexStat{expr: r})
	}
	if _, ok := fd.Options["datepattern"]; ok {
		if err := t.setDatePattern(fd.DatePattern); err != nil {
			return err
		}
	}
	if fd.JournalMatch != "" && !t.journalSet {
		m, err := shellSplit(strings.ReplaceAll(fd.JournalMatch, "\n", " "))
		if err != nil {
			return fmt.Errorf("journalmatch: %w", err)
		}
		t.journalMatch = m
	}
	return nil
}

// parseFilterSpec splits "name[k=v, k2='x, y']" into the name and its
// options as an ordered Python dict (values stripped).
func parseFilterSpec(s string) (string, pyval.Dict, error) {
	i := strings.IndexByte(s, '[')
	if i < 0 {
		return s, nil, nil
	}
	name, rest := s[:i], s[i+1:]
	if !strings.HasSuffix(strings.TrimRight(rest, " \t\r\n"), "]") {
		return "", nil, errors.New("unexpected option syntax")
	}
	rest = strings.TrimRight(rest, " \t\r\n")
	rest = rest[:len(rest)-1]
	var d pyval.Dict
	for strings.TrimSpace(rest) != "" {
		k, v, tail, err := nextArg(rest)
		if err != nil {
			return "", nil, err
		}
		d = setItem(d, k, v)
		rest = tail
	}
	return name, d, nil
}

var argRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\s*([\w\-.]+)=(?:"([^"]*)"|'([^']*)'|([^,\]]*))\s*(?:,|$)`)
})

func nextArg(s string) (k, v, tail string, err error) {
	m := argRE().FindStringSubmatch(s)
	if m == nil {
		return "", "", "", fmt.Errorf("expected option, wrong syntax at 0: %s", trunc25(strings.TrimSpace(s)))
	}
	v = m[2] + m[3] + m[4]
	return m[1], strings.TrimSpace(v), s[len(m[0]):], nil
}

func trunc25(s string) string {
	if r := []rune(s); len(r) > 25 {
		return string(r[:22]) + "..."
	}
	return s
}

func setItem(d pyval.Dict, k string, v any) pyval.Dict {
	for i := range d {
		if d[i].Key == k {
			d[i].Value = v
			return d
		}
	}
	return append(d, pyval.Item{Key: k, Value: v})
}

func pyRepr(v any) string { return pyval.Repr(v) }
