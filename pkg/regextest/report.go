package regextest

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/filter"
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
				ts := ip.t
				if ts.IsZero() {
					ts = t.env.Now() // time.localtime(None) is now
				}
				items = append(items, fmt.Sprintf("    %s  %s%s", ip.id, pyCtime(ts, t.env.Local), multi))
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
	var items []string
	for _, l := range lines {
		if !t.o.Debuggex {
			items = append(items, strings.TrimRight(l, " \t\n\r\v\f"))
			continue
		}
		for _, d := range t.debuggex(l, kind) {
			items = append(items, strings.TrimRight(d, " \t\n\r\v\f"))
		}
	}
	t.printList(items, header)
}

// debuggex renders a line as "line | regex |  URL" for every regex of
// the relevant list (fail2ban-regex's debuggexURL: the regex with its tags
// expanded, query fields in fail2ban's order).
func (t *tester) debuggex(line, kind string) []string {
	rs := t.fail
	if kind == "ignored" {
		rs = t.ignore
	}
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		u := "https://www.debuggex.com/?re=" + url.QueryEscape(filter.ExpandTags(r.expr, t.dnsPolicy())) +
			"&str=" + url.QueryEscape(line) + "&flavor=python"
		if t.maxLines > 1 {
			u += "&flags=m"
		}
		out = append(out, line+" | "+r.expr+" |  "+u)
	}
	return out
}
