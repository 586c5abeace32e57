package regextest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corpusDir holds fail2ban's sample logs, the seed of the generated lines.
const corpusDir = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs"

// diffCase is one filter of the differential test against fail2ban-regex.
type diffCase struct {
	name   string
	sample string   // corpus file the lines are derived from ("" = generated)
	args   []string // options and REGEX (LOG is inserted before REGEX)
	// skip lists generated lines left out of the comparison, each with
	// the reason; none so far.
	skip map[string]string
}

var diffCases = []diffCase{
	{name: "sshd", sample: "sshd", args: []string{"sshd"}},
	{name: "sshd-ddos", sample: "sshd", args: []string{"sshd[mode=ddos]"}},
	{name: "sshd-extra", sample: "sshd", args: []string{"sshd[mode=extra]"}},
	{name: "sshd-aggressive", sample: "sshd", args: []string{"sshd[mode=aggressive]"}},
	{name: "nginx-http-auth", sample: "nginx-http-auth", args: []string{"nginx-http-auth"}},
	{name: "apache-auth", sample: "apache-auth", args: []string{"apache-auth"}},
	{name: "postfix", sample: "postfix", args: []string{"postfix"}},
	{name: "dovecot", sample: "dovecot", args: []string{"dovecot"}},
	{name: "recidive", sample: "recidive", args: []string{"recidive"}},
	{name: "php-api", args: []string{"-d", "^{DATE}", `^\s*<ADDR>\s+\S+\s+Incorrect token used\.`}},
}

// TestDifferential runs generated lines (corpus lines and their
// mutations: IPv6 addresses, near-misses, odd dates, long lines, unicode)
// through both testers and requires the same per-line verdicts (the
// --print-all-* lists and counters of the report) and the same failures
// (id, address and time of every failure, from -o).
func TestDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real fail2ban-regex 20 times")
	}
	needFail2ban(t)
	for _, tc := range diffCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lines := diffLines(t, tc.sample)
			log := filepath.Join(t.TempDir(), "gen.log")
			if err := os.WriteFile(log, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			n := len(tc.args)
			report := append([]string{"--usedns=no", "--print-all-matched", "--print-all-missed", "--print-all-ignored"}, tc.args[:n-1]...)
			report = append(report, log, tc.args[n-1])
			out := append([]string{"--usedns=no", "-o", "<fid>\t<ip>\t<time>\t<msg>"}, tc.args[:n-1]...)
			out = append(out, log, tc.args[n-1])
			for _, args := range [][]string{report, out} {
				got, want := nowTimes(normalize(runOurs(t, args, false))), nowTimes(normalize(runReal(t, args)))
				if got != want {
					t.Errorf("%d lines, fail2ban-regex %q differs:\n%s", len(lines), args, lineDiff(got, want))
				}
			}
		})
	}
}

// diffLines returns the deterministic test lines for a corpus file.
func diffLines(t *testing.T, sample string) []string {
	t.Helper()
	var base []string
	if sample == "" {
		base = phpAPILines()
	} else {
		f, err := os.Open(filepath.Join(corpusDir, sample))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
				base = append(base, l)
			}
		}
	}
	var out []string
	for i, l := range base {
		out = append(out, l)
		for _, m := range mutations {
			if v := m(l, i); v != "" && v != l {
				out = append(out, v)
			}
		}
	}
	return out
}

var (
	ip4RE  = regexp.MustCompile(`\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b`)
	wordRE = regexp.MustCompile(`\b[A-Za-z]{5,}\b`)
	yearRE = regexp.MustCompile(`\b20\d\d\b`)
	monRE  = regexp.MustCompile(`\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b`)
)

// mutations derive variants of a line; "" means not applicable.
var mutations = []func(l string, i int) string{
	func(l string, i int) string { // IPv6 instead of the first IPv4
		loc := ip4RE.FindStringIndex(l)
		if loc == nil {
			return ""
		}
		return l[:loc[0]] + fmt.Sprintf("2001:db8:%x::%x", i%7, i+1) + l[loc[1]:]
	},
	func(l string, i int) string { // near miss: one keyword changes case
		ws := wordRE.FindAllStringIndex(l, -1)
		if len(ws) == 0 {
			return ""
		}
		w := ws[i%len(ws)]
		return l[:w[0]] + strings.ToUpper(l[w[0]:w[0]+1]) + strings.ToLower(l[w[0]+1:w[1]]) + "x" + l[w[1]:]
	},
	func(l string, i int) string { // odd date: another year or month
		if i%2 == 0 {
			return yearRE.ReplaceAllString(l, "2099")
		}
		return monRE.ReplaceAllStringFunc(l, func(string) string { return "Feb" })
	},
	func(l string, i int) string { // long line
		return l + " " + strings.Repeat("x", 3000+i%50)
	},
	func(l string, i int) string { // unicode in the text
		return strings.Replace(l, " ", " ü名前 ", 1+(i%3))
	},
	func(l string, i int) string { // trailing spaces and a second address
		return l + fmt.Sprintf("  from 192.0.2.%d", i%250+1)
	},
}

// phpAPILines are the php-api seed jail's lines with variants.
func phpAPILines() []string {
	var out []string
	for i := range 60 {
		ts := fmt.Sprintf("2026-11-%02dT%02d:%02d:%02d", 1+i%28, i%24, i%60, (i*7)%60)
		ip := fmt.Sprintf("192.0.2.%d", i+1)
		switch i % 6 {
		case 0:
			out = append(out, ts+" "+ip+" - Incorrect token used. (more info here ...)")
		case 1:
			out = append(out, ts+" 2001:db8::"+fmt.Sprint(i)+" admin Incorrect token used.")
		case 2:
			out = append(out, ts+".123456 "+ip+" - Incorrect token used.")
		case 3:
			out = append(out, ts+"+01:00 "+ip+" - Incorrect token used. ü")
		case 4:
			out = append(out, ts+" "+ip+" - Correct token used.")
		case 5:
			out = append(out, "garbage "+ts+" "+ip+" - Incorrect token used.")
		}
	}
	return out
}

var fracTimeRE = regexp.MustCompile(`\b1\d{9}\.\d{3,}\b`)

// nowTimes replaces timestamps of the last hour that carry sub-second
// digits: lines with an unusable date (Feb 31) get "now" as their time,
// which differs between the two runs by the time between them.
func nowTimes(s string) string {
	now := float64(time.Now().Unix())
	return fracTimeRE.ReplaceAllStringFunc(s, func(v string) string {
		f, err := strconv.ParseFloat(v, 64)
		if err == nil && f > now-3600 && f < now+3600 {
			return "NOW"
		}
		return v
	})
}

// lineDiff shows the first differing lines of two outputs.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < max(len(g), len(w)) && n < 12; i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "line %d:\n  f2b:      %.300q\n  fail2ban: %.300q\n", i+1, gl, wl)
			n++
		}
	}
	return b.String()
}
