package main

import (
	"bytes"
	"regexp"
	"slices"
	"testing"
)

func TestRegexArgv0(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{name: "symlink name", in: []string{"/usr/local/bin/fail2ban-regex", "-v", "log", "sshd"}, want: []string{"/usr/local/bin/fail2ban-regex", "regex", "-v", "log", "sshd"}},
		{name: "bare name", in: []string{"fail2ban-regex"}, want: []string{"fail2ban-regex", "regex"}},
		{name: "client", in: []string{"/usr/bin/f2b-client", "status"}, want: []string{"/usr/bin/f2b-client", "status"}},
		{name: "similar name", in: []string{"fail2ban-regex2", "x"}, want: []string{"fail2ban-regex2", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := regexArgv0(slices.Clone(tt.in)); !slices.Equal(got, tt.want) {
				t.Errorf("regexArgv0(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

var processedRE = regexp.MustCompile(`\[processed in \d+\.\d\d sec\]`)

// TestRegexEntryPoints: the seed's "-d DATEPATTERN LINE REGEX" form and
// "regex -d …" print the same report and exit 0.
func TestRegexEntryPoints(t *testing.T) {
	const line = "2026-11-25T11:34:10 192.0.2.1 - Incorrect token used. (more info here ...)"
	const re = `^\s*<ADDR>\s+\S+\s+Incorrect token used\.`
	tests := []struct {
		name string
		in   []string
	}{
		{name: "dump hook", in: []string{"-d", "^{DATE}", line, re}},
		{name: "subcommand", in: []string{"regex", "-d", "^{DATE}", line, re}},
		{name: "subcommand options after", in: []string{"regex", line, re, "--datepattern=^{DATE}"}},
	}
	want := "\nRunning tests\n=============\n\n" +
		"Use      datepattern : ^{DATE} : Default Detectors\n" +
		"Use   failregex line : ^\\s*<ADDR>\\s+\\S+\\s+Incorrect token used\\.\n" +
		"Use      single line : 2026-11-25T11:34:10 192.0.2.1 - Incorrect token us...\n\n\n" +
		"Results\n=======\n\nFailregex: 1 total\n|-  #) [# of hits] regular expression\n" +
		"|   1) [1] ^\\s*<ADDR>\\s+\\S+\\s+Incorrect token used\\.\n`-\n\nIgnoreregex: 0 total\n\n" +
		"Date template hits:\n|- [# of hits] date format\n" +
		"|  [1] ^ExYear(?P<_sep>[-/.])Month(?P=_sep)Day(?:T|  ?)24hour:Minute:Second(?:[.,]Microseconds)?(?:\\s*Zone offset)?\n`-\n\n" +
		"Lines: 1 lines, 0 ignored, 1 matched, 0 missed\n[processed in X sec]\n\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tt.in, &out, &errb)
			got := processedRE.ReplaceAllString(out.String(), "[processed in X sec]")
			if code != 0 || got != want || errb.Len() != 0 {
				t.Errorf("run(%q) = %d\n%s\nstderr %q\nwant 0\n%s", tt.in, code, got, errb.String(), want)
			}
		})
	}
}

func TestRegexExitCodes(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want int
	}{
		{name: "no args", in: []string{"regex"}, want: 255},
		{name: "bad int", in: []string{"regex", "-L", "x", "a", "b"}, want: 2},
		{name: "no id group", in: []string{"regex", "line", "foo"}, want: 255},
		{name: "version", in: []string{"regex", "-V"}, want: 0},
		{name: "help", in: []string{"regex", "--help"}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if got := run(tt.in, &out, &errb); got != tt.want {
				t.Errorf("run(%q) = %d, want %d (stdout %q, stderr %q)", tt.in, got, tt.want, out.String(), errb.String())
			}
		})
	}
}
