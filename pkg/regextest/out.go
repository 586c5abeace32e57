package regextest

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/f2b/f2b/pkg/filter"
	"github.com/f2b/f2b/pkg/pyval"
)

// outFunc returns the printer for -o/--out (fail2ban-regex's
// _prepaireOutput).
func (t *tester) outFunc() func([]filter.Failure) {
	w := t.w
	line := func(s string) { w.WriteString(s); w.WriteByte('\n') }
	switch f := t.o.Out; {
	case f == "id" || f == "fid":
		return func(ret []filter.Failure) {
			for _, r := range ret {
				line(r.ID.String())
			}
		}
	case f == "ip":
		return func(ret []filter.Failure) {
			for _, r := range ret {
				if ip, ok := r.Data.Get("ip"); ok {
					line(ip)
				} else {
					line(r.ID.String())
				}
			}
		}
	case f == "msg":
		return func(ret []filter.Failure) {
			for _, r := range ret {
				for _, m := range r.Matches {
					line(m)
				}
			}
		}
	case f == "row":
		return func(ret []filter.Failure) {
			for _, r := range ret {
				line(fmt.Sprintf("[%s,\t%s,\t%s],", pyval.Repr(r.ID.String()), pyval.Repr(t.timeValue(r)), pyval.Repr(t.rowData(r))))
			}
		}
	case !strings.Contains(f, "<"):
		return func(ret []filter.Failure) {
			for _, r := range ret {
				line(pyval.Str(t.dataGet(r, f)))
			}
		}
	}
	return func(ret []filter.Failure) {
		for _, r := range ret {
			for _, s := range t.interpolate(t.o.Out, r) {
				line(s)
			}
		}
	}
}

// timeValue is the failure time as fail2ban has it: None, an int or a
// float of seconds.
func (t *tester) timeValue(r filter.Failure) any {
	if r.Time.IsZero() {
		return nil
	}
	if t.dates != nil && t.dates.intTime {
		return r.Time.Unix()
	}
	return float64(r.Time.UnixNano()) / 1e9
}

// rowData is the failure's data dict without "matches": the groups in
// regex order (prefregex first), unmatched groups as None, plus "ip" and
// the session's "users".
func (t *tester) rowData(r filter.Failure) pyval.Dict {
	var d pyval.Dict
	seen := map[string]bool{}
	add := func(k string) {
		if seen[k] || k == "content" || k == "mlfforget" {
			return
		}
		seen[k] = true
		if v, ok := r.Data.Get(k); ok {
			d = append(d, pyval.Item{Key: k, Value: v})
		} else if k != "mlfgained" && (k != "nofail" || len(r.Users) < 2) {
			d = append(d, pyval.Item{Key: k, Value: nil})
		}
	}
	if pre := t.flt.PrefRegex(); pre != nil {
		for _, n := range pre.Names() {
			add(n)
		}
	}
	if r.FailRegexIndex < len(t.flt.FailRegex()) {
		for _, n := range t.flt.FailRegex()[r.FailRegexIndex].Names() {
			add(n)
		}
	}
	var rest []string
	for _, tg := range r.Data {
		if !seen[tg.Name] && tg.Name != "ip" {
			rest = append(rest, tg.Name)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		add(k)
	}
	if ip, ok := r.Data.Get("ip"); ok {
		d = append(d, pyval.Item{Key: "ip", Value: ip})
	}
	if len(r.Users) > 0 {
		s := make(pyval.Set, len(r.Users))
		for i, u := range r.Users {
			s[i] = u
		}
		d = append(d, pyval.Item{Key: "users", Value: s})
	}
	return d
}

// dataGet is data.get(key) of a failure (None when absent).
func (t *tester) dataGet(r filter.Failure, key string) any {
	switch key {
	case "matches":
		l := make([]any, len(r.Matches))
		for i, m := range r.Matches {
			l[i] = m
		}
		return l
	case "users":
		if len(r.Users) == 0 {
			return nil
		}
		s := make(pyval.Set, len(r.Users))
		for i, u := range r.Users {
			s[i] = u
		}
		return s
	}
	if v, ok := r.Data.Get(key); ok {
		return v
	}
	return nil
}

// interpolate replaces action-style tags once (no recursion); <msg> of
// a multi-line failure gives one output line per matched line.
func (t *tester) interpolate(format string, r filter.Failure) []string {
	msgLines := len(r.Matches) > 1 && strings.Contains(format, "<msg>")
	out := tagPattern().ReplaceAllStringFunc(format, func(tag string) string {
		name := tag[1 : len(tag)-1]
		if name == "msg" && msgLines {
			return "\x00msg\x00"
		}
		v, ok := t.tagValue(name, r)
		if !ok {
			return tag
		}
		if name != "msg" {
			v = strings.ReplaceAll(v, "\x00", `\x00`)
		}
		return v
	})
	if !msgLines {
		return []string{out}
	}
	res := make([]string, 0, len(r.Matches))
	for _, m := range r.Matches {
		res = append(res, strings.ReplaceAll(out, "\x00msg\x00", m))
	}
	return res
}

func (t *tester) tagValue(name string, r filter.Failure) (string, bool) {
	id := r.ID.String()
	switch name {
	case "ip":
		if ip, ok := r.Data.Get("ip"); ok {
			return ip, true
		}
		return id, true
	case "fid":
		return id, true
	case "family":
		if strings.Contains(id, ":") {
			return "inet6", true
		}
		return "inet4", true
	case "ip-rev":
		return ipRev(id), true
	case "failures":
		return "1", true
	case "time":
		if r.Time.IsZero() {
			return "None", true
		}
		return pyval.Repr(t.timeValue(r)), true
	case "matches", "msg":
		return strings.Join(r.Matches, "\n"), true
	case "bantime":
		return "-1", true
	case "bancount":
		return "0", true
	case "raw-ticket":
		return "", false
	}
	if strings.HasPrefix(name, "F-") {
		key := strings.ToLower(name[2:])
		return pyval.Str(t.dataGet(r, key)), true
	}
	if v, ok := r.Data.Get(name); ok {
		return v, true
	}
	return "", false
}

// ipRev is fail2ban's IPAddr.getPTR suffix-less reverse form.
func ipRev(id string) string {
	if strings.Contains(id, ":") {
		return id
	}
	p := strings.Split(id, ".")
	slices.Reverse(p)
	return strings.Join(p, ".") + "."
}

// tagPattern is compiled on first use: most runs of the binary never
// format a fail2ban-regex output line.
var tagPattern = sync.OnceValue(func() *regexp.Regexp { return regexpMustCompile(`<[^ <>]+>`) })
