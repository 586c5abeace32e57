package filter

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/config"
)

// The tests in this file prove the fast paths (first-byte and literal
// prefilters, scratch text buffers, shared slices) change no result: every
// stock filter runs over fail2ban's sample logs and generated near-misses
// twice, once as built and once on the reference path with every fast
// path off, and the two must agree exactly.

const (
	fpConfDir = "/etc/fail2ban"
	fpLogsDir = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs"
)

func needCorpus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(fpLogsDir, "sshd")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("fail2ban sample logs missing: %v", err)
		}
		t.Skipf("fail2ban sample logs missing (install fail2ban): %v", err)
	}
}

// nearMisses derives texts around one log line that exercise the
// prefilters' edges: first byte changed, dropped or shifted, case
// swapped, Unicode spaces in front, literals cut.
func nearMisses(s string) []string {
	out := []string{s, " " + s, "\t" + s, "\x1c" + s, "\x0b" + s, "\u00a0" + s, "\u212a" + s, ""}
	if s == "" {
		return out
	}
	out = append(out, s[1:], strings.ToUpper(s[:1])+s[1:], strings.ToLower(s[:1])+s[1:],
		"x"+s[1:], "\xff"+s[1:], strings.ToLower(s), strings.ToUpper(s))
	if i := strings.IndexByte(s, ' '); i > 0 {
		out = append(out, s[i+1:], s[:i]+s[i+1:])
	}
	if n := len(s) / 2; n > 0 {
		out = append(out, s[:n], s[n:])
	}
	return out
}

// firstByteMisses is the short list of near-misses: the line, its first
// byte dropped, replaced, case-swapped, and a space in front.
func firstByteMisses(s string) []string {
	if s == "" {
		return []string{s}
	}
	return []string{s, " " + s, s[1:], "x" + s[1:], strings.ToUpper(s[:1]) + s[1:], strings.ToLower(s[:1]) + s[1:]}
}

// sampleLines reads a fail2ban sample log without its annotations; under
// the race detector only every 20th line.
func sampleLines(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fpLogsDir, name))
	if err != nil {
		return nil
	}
	step := 1
	if raceEnabled {
		step = 20
	}
	var out []string
	for i, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") && l != "" && i%step == 0 {
			out = append(out, l)
		}
	}
	return out
}

// sampleMisses is a stock filter's sample lines, each with its
// first-byte near-misses.
func sampleMisses(t *testing.T, name string) []string {
	t.Helper()
	var lines []string
	for _, l := range sampleLines(t, name) {
		lines = append(lines, firstByteMisses(l)...)
	}
	return lines
}

func stockFilters(t *testing.T) []string {
	t.Helper()
	ms, err := filepath.Glob(filepath.Join(fpConfDir, "filter.d", "*.conf"))
	if err != nil || len(ms) == 0 {
		t.Fatalf("no stock filters in %s: %v", fpConfDir, err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, strings.TrimSuffix(filepath.Base(m), ".conf"))
	}
	return out
}

func fpOptions(def *config.FilterDef, checkAll bool) Options {
	return Options{
		FailRegex: def.FailRegex, IgnoreRegex: def.IgnoreRegex, PrefRegex: def.PrefRegex,
		DatePattern: def.DatePattern, MaxLines: def.MaxLines, UseDNS: UseDNSRaw,
		CheckAll: checkAll, Local: time.UTC, MatchTimeout: time.Minute, // no load-dependent timeouts
		Now: func() time.Time { return time.Date(2026, 11, 25, 13, 1, 12, 0, time.UTC) },
	}
}

// reference turns every fast path of f off.
func (f *Filter) reference() *Filter {
	f.slow = true
	for _, rs := range [][]*Regex{f.fail, f.ignore, {f.pref}} {
		for _, r := range rs {
			if r != nil {
				r.noPrefilter = true
			}
		}
	}
	return f
}

// TestPrefilterSound: whenever a prefilter rejects a text, the engine
// finds no match in it either (every regex of every stock filter, on the
// sample lines, their prefregex content and near-misses of both).
func TestPrefilterSound(t *testing.T) {
	needCorpus(t)
	checked, rejected := 0, 0
	for _, name := range stockFilters(t) {
		def, err := config.LoadFilter(fpConfDir, name, nil)
		if err != nil {
			continue // filters needing arguments are covered by the corpus tests
		}
		f, err := New(fpOptions(def, true))
		if err != nil {
			continue
		}
		rs := append(append([]*Regex{}, f.fail...), f.ignore...)
		if f.pref != nil {
			rs = append(rs, f.pref)
		}
		for _, text := range filterTexts(f, sampleLines(t, name)) {
			for _, r := range rs {
				checked++
				if r.mayMatch(text) {
					continue
				}
				rejected++
				if m, _ := r.engineSearch(text); m != nil {
					t.Errorf("%s: prefilter rejects a text the engine matches\n  regex: %q\n  text:  %q", name, r.Expr(), text)
				}
			}
		}
	}
	t.Logf("%d regex/text pairs, %d rejected by prefilters", checked, rejected)
	if rejected == 0 {
		t.Fatal("no text was rejected: the prefilters were not exercised")
	}
}

// filterTexts turns sample lines into the texts regexes see: the line
// without its date, its prefregex content, and near-misses of both.
func filterTexts(f *Filter, lines []string) []string {
	var out []string
	for _, l := range lines {
		var res Result
		tl, _ := f.splitDate(l, &res)
		for _, s := range nearMisses(tl.text()) {
			out = append(out, s+"\n")
			if f.pref == nil {
				continue
			}
			if m, _ := f.pref.engineSearch(s + "\n"); m != nil {
				if c, _ := m.Group("content"); c != "" {
					for _, c2 := range nearMisses(c) {
						out = append(out, c2+"\n")
					}
				}
			}
		}
	}
	return out
}

// TestFastPathEquivalent runs every stock filter over its sample log and
// near-misses of each line through the filter as built and through the
// reference path; the results must be identical, in server and in
// fail2ban-regex (CheckAll) mode.
func TestFastPathEquivalent(t *testing.T) {
	needCorpus(t)
	total, failures, hostRegexes := 0, 0, 0
	for _, name := range stockFilters(t) {
		def, err := config.LoadFilter(fpConfDir, name, nil)
		if err != nil {
			continue
		}
		lines := sampleMisses(t, name)
		// always: the failregex precheck on every search, not only
		// where the adaptive policy picks it; addr: usedns no, so <HOST>
		// is <ADDR> and the host matcher gets the other expansion
		for _, mode := range [][3]bool{{false, false, false}, {true, false, false}, {false, true, false}, {false, false, true}} {
			checkAll, always := mode[0], mode[1]
			o := fpOptions(def, checkAll)
			if mode[2] {
				o.UseDNS = UseDNSNo
			}
			fast, err1 := New(o)
			ref, err2 := New(o)
			if err1 != nil || err2 != nil {
				continue
			}
			fast.alwaysPrecheck = always
			hostRegexes += countHost(fast)
			ref.reference()
			var kept, wants []Result
			for _, l := range lines {
				got, want := fast.ProcessLine(l), ref.ProcessLine(l)
				total++
				failures += len(got.Failures)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s (checkAll %v, precheck %v): fast and reference paths differ on %q\n  fast: %+v\n  ref:  %+v", name, checkAll, always, l, got, want)
				}
				kept, wants = append(kept, got), append(wants, want)
			}
			// results must not share the reused buffers of later lines
			for i := range kept {
				if !reflect.DeepEqual(kept[i], wants[i]) {
					t.Errorf("%s: result of %q changed by later lines\n  now: %+v\n  ref: %+v", name, lines[i], kept[i], wants[i])
				}
			}
		}
	}
	t.Logf("%d lines compared, %d failures found, %d regexes with a host matcher", total, failures, hostRegexes)
	if failures == 0 {
		t.Fatal("no failure found: the match path was not exercised")
	}
	if hostRegexes == 0 {
		t.Fatal("no regex got a host matcher: that path was not exercised")
	}
}

// countHost counts the regexes of f that use the host matcher.
func countHost(f *Filter) int {
	n := 0
	for _, r := range append(append([]*Regex{f.pref}, f.fail...), f.ignore...) {
		if r != nil && r.host != nil {
			n++
		}
	}
	return n
}
