package regextest

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// printStats prints the "Results" part of the report.
func (t *tester) printStats() {
	if t.o.Out != "" {
		return
	}
	t.output("\nResults\n=======")
	if pre := t.flt.PrefRegex(); pre != nil {
		items := []string{pre.Expr()}
		for _, g := range t.pref.groups {
			items = append(items, "    "+g)
		}
		t.output("\nPrefregex: %d total", t.pref.matched)
		t.printList(items, "")
	}
	t.printRegexes("Failregex", t.fail)
	t.printRegexes("Ignoreregex", t.ignore)
	if t.dates != nil {
		t.printDates()
	}
	s := &t.stats
	t.output("\nLines: %d lines, %d ignored, %d matched, %d missed", s.tested, s.ignored, s.matched, s.missed)
	t.output("[processed in %.2f sec]", t.elapsed.Seconds())
	t.output("")
	if t.o.PrintAllMatched {
		t.printLines("matched", s.matched, s.matchedLines, t.o.PrintAllMatched)
	}
	if !t.o.PrintNoIgnored {
		t.printLines("ignored", s.ignored, s.ignoredLines, t.o.PrintAllIgnored)
	}
	if !t.o.PrintNoMissed {
		t.printLines("missed", s.missed, s.missedLines, t.o.PrintAllMissed)
	}
}

// printList is fail2ban-regex's pprint_list.
func (t *tester) printList(items []string, header string) {
	if len(items) == 0 {
		return
	}
	if header != "" {
		t.output("|- %s", header)
	}
	t.output("|  %s\n`-", strings.Join(items, "\n|  "))
}

func (t *tester) printRegexes(title string, rs []*regexStat) {
	total := 0
	var items []string
	for i, r := range rs {
		total += r.hits
		if r.hits > 0 || t.o.Verbose > 0 {
			items = append(items, fmt.Sprintf("%2d) [%d] %s", i+1, r.hits, r.expr))
		}
		if t.o.Verbose > 0 {
			for _, ip := range r.ips {
				multi := ""
				if ip.multi {
					multi = " (multiple regex matched)"
				}
				items = append(items, fmt.Sprintf("    %s  %s%s", ip.id, pyCtime(ip.t, t.env.Local), multi))
			}
		}
	}
	t.output("\n%s: %d total", title, total)
	t.printList(items, " #) [# of hits] regular expression")
}

// pyCtime formats like time.strftime("%a %b %d %H:%M:%S %Y", localtime).
func pyCtime(ts time.Time, loc *time.Location) string {
	return ts.In(loc).Format("Mon Jan 02 15:04:05 2006")
}

func (t *tester) printDates() {
	t.output("\nDate template hits:")
	var items []string
	for _, h := range t.dates.d.Hits() {
		if h.Hits > 0 || t.o.Verbose > 0 {
			items = append(items, fmt.Sprintf("[%d] %s", h.Hits, h.Name))
		}
	}
	t.printList(items, "[# of hits] date format")
}

// printLines prints one of the matched/ignored/missed lists.
func (t *tester) printLines(kind string, n int, lines []string, all bool) {
	if n == 0 {
		return
	}
	header := strings.ToUpper(kind[:1]) + kind[1:] + " line(s):"
	if n >= t.o.printLimit() && !all {
		t.output("%s too many to print.  Use --print-all-%s to print all %d lines", header, kind, n)
		return
	}
	items := make([]string, len(lines))
	for i, l := range lines {
		if t.o.Debuggex {
			l = t.debuggex(l, kind)
		}
		items[i] = strings.TrimRight(l, " \t\n\r\v\f")
	}
	t.printList(items, header)
}

// debuggex renders a list item as a debuggex.com link (first regex of
// the relevant list; fail2ban lists every line × regex pair).
func (t *tester) debuggex(line, kind string) string {
	rs := t.fail
	if kind == "ignored" {
		rs = t.ignore
	}
	var b []string
	for _, r := range rs {
		v := url.Values{}
		v.Set("re", r.expr)
		v.Set("str", line)
		v.Set("flavor", "python")
		if t.maxLines > 1 {
			v.Set("flags", "m")
		}
		b = append(b, line+" | "+r.expr+" |  https://www.debuggex.com/?"+v.Encode())
	}
	return strings.Join(b, "\n|  ")
}
