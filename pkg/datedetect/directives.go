package datedetect

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// directive is one strptime-like %X field: the regex that replaces it and
// the human-readable name fail2ban-regex shows in template names.
type directive struct {
	regex, name string
}

// directives holds the regexes fail2ban installs (Python 3.11, C locale),
// keyed by what follows the `%`. %ExY is filled in per detector because
// it depends on the current year.
var directives = sync.OnceValue(func() map[string]directive {
	return map[string]directive{
		"%":   {"%", "%"},
		"A":   {`(?P<A>wednesday|thursday|saturday|tuesday|monday|friday|sunday)`, "DAYNAME"},
		"B":   {`(?P<B>september|february|november|december|january|october|august|march|april|june|july|may)`, "MONTH"},
		"ExH": {`(?P<H>[0-1]\d|2[0-3])`, "Ex24hour"},
		"ExM": {`(?P<M>[0-5]\d)`, "ExMinute"},
		"ExS": {`(?P<S>[0-5]\d|6[0-1])`, "ExSecond"},
		"ExY": {"", "ExYear"},
		"ExZ": {`(?P<Z>[A-Z](?:[A-Z]{2,4})?)`, "ExZone name"},
		"Exd": {`(?P<d>[1-2]\d|0[1-9]|3[0-1])`, "ExDay"},
		"Exk": {` ?(?P<H>[0-1]?\d|2[0-3])`, "Ex%k"},
		"Exl": {` ?(?P<I>1[0-2]|\d)`, "Ex%l"},
		"Exm": {`(?P<m>0[1-9]|1[0-2])`, "ExMonth"},
		"Exy": {`(?P<y>\d{2})`, "ExYear2"},
		"Exz": {`(?P<z>(?:[A-Z](?:[A-Z]{2,4})?)?[+-][01]\d(?::?\d{2})?|[A-Z](?:[A-Z]{2,4})?)`, "ExZone offset"},
		"G":   {`(?P<G>\d\d\d\d)`, "%G"},
		"H":   {`(?P<H>[0-1]?\d|2[0-3])`, "24hour"},
		"I":   {`(?P<I>1[0-2]|0[1-9]|[1-9])`, "12hour"},
		"M":   {`(?P<M>[0-5]?\d)`, "Minute"},
		"S":   {`(?P<S>[0-5]?\d|6[0-1])`, "Second"},
		"U":   {`(?P<U>5[0-3]|[0-4]\d|\d)`, "Yearweek"},
		"V":   {`(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)`, "%V"},
		"W":   {`(?P<W>5[0-3]|[0-4]\d|\d)`, "Yearweek"},
		"X":   {`(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d):(?P<S>6[0-1]|[0-5]\d|\d)`, "%X"},
		"Y":   {`(?P<Y>\d{4})`, "Year"},
		"Z":   {`(?P<Z>Z|[A-Z]{3,5})`, "Zone name"},
		"a":   {`(?P<a>mon|tue|wed|thu|fri|sat|sun)`, "DAY"},
		"b":   {`(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)`, "MON"},
		"c":   {`(?P<a>mon|tue|wed|thu|fri|sat|sun)\s+(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])\s+(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d):(?P<S>6[0-1]|[0-5]\d|\d)\s+(?P<Y>\d\d\d\d)`, "%c"},
		"d":   {`(?P<d>[1-2]\d|[0 ]?[1-9]|3[0-1])`, "Day"},
		"f":   {`(?P<f>[0-9]{1,6})`, "Microseconds"},
		"j":   {`(?P<j>36[0-6]|3[0-5]\d|[1-2]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])`, "Yearday"},
		"k":   {` ?(?P<H>[0-2]?\d)`, "%k"},
		"l":   {` ?(?P<I>1?\d)`, "%l"},
		"m":   {`(?P<m>0?[1-9]|1[0-2])`, "Month"},
		"p":   {`(?P<p>am|pm)`, "AMPM"},
		"u":   {`(?P<u>[1-7])`, "%u"},
		"w":   {`(?P<w>[0-6])`, "Weekday"},
		"x":   {`(?P<m>1[0-2]|0[1-9]|[1-9])/(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])/(?P<y>\d\d)`, "%x"},
		"y":   {`(?P<y>\d\d)`, "Year2"},
		"z":   {`(?P<z>Z|UTC|GMT|[+-][01]\d(?::?\d{2})?)`, "Zone offset"},
	}
})

// exKeys are the multi-letter directives, tried before single letters.
var exKeys = []string{"ExZ", "Exz", "Exd", "Exm", "ExH", "Exk", "Exl", "ExM", "ExS", "ExY", "Exy"}

// exYearSince is the year fail2ban's every-third-year range of %ExY
// starts from. fail2ban takes it from its "alternate now" capped at
// 2001-01-02, and fail2ban-regex's alternate now of 0 counts as unset, so
// it is 2001 in practice.
const exYearSince = 2001

// yearRegex builds %ExY: fail2ban accepts the decades ("202" for the
// 2020s) of last year, of three years ahead, and every third year from
// 2000 up to now, merged into the shortest prefix + character class.
func yearRegex(now time.Time) string {
	y, s := now.Year(), exYearSince
	set := map[string]bool{}
	add := func(year int) { set[strconv.Itoa(year)[:3]] = true }
	add(y - 1)
	add(y + 3)
	for i := -1; i < y-s+1; i += 3 {
		add(s + i)
	}
	list := make([]string, 0, len(set))
	for k := range set {
		list = append(list, k)
	}
	sort.Strings(list)
	return `(?P<Y>` + groupPrefixes(list) + `\d)`
}

// groupPrefixes renders equal-length strings as common prefix plus a
// character class or alternation, the way fail2ban compacts the centuries.
func groupPrefixes(set []string) string {
	if len(set) == 1 {
		return set[0]
	}
	if c := commonPrefix(set); c != "" {
		rest := make([]string, len(set))
		for i, s := range set {
			rest[i] = s[len(c):]
		}
		return c + groupPrefixes(rest)
	}
	if len(set[0]) > 1 {
		return "(?:" + strings.Join(set, "|") + ")"
	}
	return "[" + strings.Join(set, "") + "]"
}

// commonPrefix returns the shared all-but-last prefix, else the shared
// first character, else "".
func commonPrefix(set []string) string {
	for _, n := range []int{len(set[0]) - 1, 1} {
		if n <= 0 {
			continue
		}
		c := set[0][:n]
		ok := true
		for _, s := range set {
			if len(s) < n || s[:n] != c {
				ok = false
				break
			}
		}
		if ok {
			return c
		}
	}
	return ""
}

// expandDirectives replaces every %X in pattern by its regex and returns
// that regex and the template name. Like fail2ban (which formats the pattern
// with Python's % operator) it rejects a % followed by anything else.
func expandDirectives(pattern, exY string) (regex, name string, err error) {
	var re, nm strings.Builder
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c != '%' {
			re.WriteByte(c)
			nm.WriteByte(c)
			continue
		}
		key := directiveKey(pattern[i+1:])
		if key == "" {
			return "", "", fmt.Errorf("unsupported directive %q at offset %d", pattern[i:min(i+2, len(pattern))], i)
		}
		d := directives()[key]
		if key == "ExY" {
			d.regex = exY
		}
		re.WriteString(d.regex)
		nm.WriteString(d.name)
		i += len(key)
	}
	return re.String(), nm.String(), nil
}

// directiveKey returns the directive at the start of s, or "".
func directiveKey(s string) string {
	for _, k := range exKeys {
		if strings.HasPrefix(s, k) {
			return k
		}
	}
	if s == "" {
		return ""
	}
	if _, ok := directives()[s[:1]]; ok {
		return s[:1]
	}
	return ""
}
