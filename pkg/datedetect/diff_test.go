package datedetect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	python     = "/usr/bin/python3"
	fail2banPy = "/usr/lib/python3/dist-packages/fail2ban/server/datedetector.py"
)

// requireFail2ban skips (or fails under CI=true) without the oracle.
func requireFail2ban(t *testing.T) {
	t.Helper()
	for _, p := range []string{python, fail2banPy} {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("fail2ban oracle missing: %v", err)
			}
			t.Skipf("fail2ban oracle missing (%v); install the Debian fail2ban package", err)
		}
	}
}

type oracleOut struct {
	Error     string  `json:"error"`
	Results   [][]any `json:"results"`
	Templates []string
}

// runOracle feeds lines to fail2ban's DateDetector in a fresh process
// (fail2ban shares template hit counters process-wide).
func runOracle(t *testing.T, pattern, tz, localTZ string, now time.Time, lines []string) oracleOut {
	t.Helper()
	req, _ := json.Marshal(map[string]any{"pattern": pattern, "tz": tz, "now": now.Unix(), "lines": lines})
	cmd := exec.Command(python, "testdata/oracle.py")
	cmd.Env = append(os.Environ(), "TZ="+localTZ)
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var o oracleOut
	if err := json.Unmarshal(out, &o); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	return o
}

var diffCases = []struct {
	name, pattern, tz, local string
}{
	{name: "defaults", pattern: ""},
	{name: "default-keyword", pattern: "{DEFAULT}"},
	{name: "ln-beg", pattern: "{^LN-BEG}"},
	{name: "ln-beg-tz", pattern: "{^LN-BEG}", tz: "UTC+0200"},
	{name: "defaults-cet-berlin", pattern: "", tz: "CET", local: "Europe/Berlin"},
	{name: "defaults-berlin", pattern: "", local: "Europe/Berlin"},
	{name: "date-anchored", pattern: "^{DATE}"},
	{name: "apache-badbots", pattern: "^[^\\[]*\\[({DATE})\n{^LN-BEG}"},
	{name: "fakegooglebot", pattern: "^[^\\[]*(\\[{DATE}\\s*\\])\n{^LN-BEG}"},
	{name: "openhab", pattern: "%d/%b[^/]*/%Y:%H:%M:%S %z"},
	{name: "guacamole", pattern: "^%b %d, %ExY %I:%M:%S %p\n^WARNING:()**\n{^LN-BEG}"},
	{name: "ejabberd", pattern: "^(?:=[^=]+={3,} )?(%ExY(?P<_sep>[-/.])%m(?P=_sep)%d[T ]%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?)\n^I\\(()**"},
	{name: "sogo", pattern: "{^LN-BEG}%ExY(?P<_sep>[-/.])%m(?P=_sep)%d[T ]%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?\n{^LN-BEG}(?:%a )?%b %d %H:%M:%S(?:\\.%f)?(?: %ExY)?\n^[^\\[]*\\[({DATE})\n{^LN-BEG}"},
	{name: "freeswitch", pattern: "^(?:%Y-)?%m-%d[ T]%H:%M:%S(?:\\.%f)?\n{^LN-BEG}"},
	{name: "grafana", pattern: "^t=%Y-%m-%dT%H:%M:%S%z"},
	{name: "murmur", pattern: "^<W>{DATE}"},
	{name: "oracleims", pattern: "^<co ts=\"{DATE}\"\\s+"},
	{name: "epoch", pattern: "EPOCH"},
	{name: "lepoch", pattern: "LEPOCH"},
	{name: "epoch-in-pattern", pattern: "^\\[?{EPOCH}"},
	{name: "dovecot", pattern: "{^LN-BEG}TAI64N\n{^LN-BEG}"},
	{name: "none", pattern: "{NONE}"},
	{name: "unbound", pattern: "{UNB}%Y-%m-%d"},
	{name: "zones", pattern: "%Y-%m-%d %H:%M:%S %Exz\n%Y-%m-%d %H:%M:%S %ExZ\n%Y-%m-%d %H:%M:%S %Z"},
	{name: "julian", pattern: "%Y-%jT%H:%M:%S\n%y %U %a %H:%M"},
	{name: "ampm", pattern: "%I:%M:%S(?: ?%p)?\n%l:%M %p"},
}

func TestDetector_DifferentialFail2ban(t *testing.T) {
	requireFail2ban(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	g := newLineGen(diffSeed())
	n := 3000
	if raceEnabled || testing.Short() {
		n = 400
	}
	lines := make([]string, n)
	for i := range lines {
		lines[i] = g.line()
	}
	total, bad := 0, 0
	for _, tc := range diffCases {
		t.Run(tc.name, func(t *testing.T) {
			local := tc.local
			if local == "" {
				local = "UTC"
			}
			o := runOracle(t, tc.pattern, tc.tz, local, now, lines)
			d, err := newDiffDetector(tc.pattern, tc.tz, local, now)
			if (err != nil) != (o.Error != "") {
				t.Fatalf("pattern error: f2b %v, fail2ban %q", err, o.Error)
			}
			if err != nil {
				return
			}
			n := 0
			for i, line := range lines {
				want := fmt.Sprint(o.Results[i][:6]...)
				got := diffRow(d, line)
				total++
				if got != want {
					bad++
					if n++; n <= 4 {
						t.Errorf("line %d %q:\n got %s\nwant %s (%v)", i, line, got, want, o.Results[i][6])
					}
				}
			}
			if n > 4 {
				t.Errorf("... %d mismatches in all", n)
			}
			var order []string
			for _, h := range d.Hits() {
				order = append(order, h.Name)
			}
			if strings.Join(order, "\n") != strings.Join(o.Templates, "\n") {
				t.Errorf("final template order differs:\n got %q\nwant %q", order, o.Templates)
			}
		})
	}
	t.Logf("%d of %d lines agree", total-bad, total)
}

func newDiffDetector(pattern, tz, local string, now time.Time) (*Detector, error) {
	loc, err := time.LoadLocation(local)
	if err != nil {
		return nil, err
	}
	opts := Options{Pattern: pattern, Local: loc, Now: func() time.Time { return now }}
	if tz != "" {
		if opts.Location, err = ParseTimezone(tz); err != nil {
			return nil, err
		}
	}
	return New(opts)
}

// diffRow renders a Find result like the oracle's first six columns.
func diffRow(d *Detector, line string) string {
	m, ok := d.Find(line)
	if !ok {
		return fmt.Sprint(false, 0, 0, "", nil, "")
	}
	var tm any
	if !m.Time.IsZero() {
		tm = pyFloat(m.Seconds)
	}
	return fmt.Sprint(true, float64(runeIndex(line, m.Start)), float64(runeIndex(line, m.End)),
		line[m.Start:m.End], tm, d.Templates()[m.Template])
}

// pyFloat formats like Python's repr(float).
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'r'-'r'+'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	if strings.Contains(s, "e") {
		s = strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
	}
	return s
}

const sampleLogs = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs"

// TestDetector_DifferentialSampleLogs replays every line of fail2ban's
// sample logs through fresh detectors for the three common datepatterns
// and compares with fail2ban, file by file (template choice is stateful).
func TestDetector_DifferentialSampleLogs(t *testing.T) {
	requireFail2ban(t)
	entries, err := os.ReadDir(sampleLogs)
	if err != nil {
		t.Skipf("sample logs: %v", err)
	}
	type req struct {
		Pattern string   `json:"pattern"`
		Lines   []string `json:"lines"`
	}
	var reqs []req
	if raceEnabled || testing.Short() {
		entries = entries[:min(len(entries), 25)]
	}
	for _, e := range entries {
		data, err := os.ReadFile(sampleLogs + "/" + e.Name())
		if err != nil || e.IsDir() {
			continue
		}
		lines := strings.Split(strings.TrimSuffix(strings.ToValidUTF8(string(data), "\uFFFD"), "\n"), "\n")
		for _, p := range []string{"", "{^LN-BEG}", "^{DATE}"} {
			reqs = append(reqs, req{Pattern: p, Lines: lines})
		}
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	body, _ := json.Marshal(map[string]any{"now": now.Unix(), "requests": reqs})
	cmd := exec.Command(python, "testdata/oracle.py")
	cmd.Env = append(os.Environ(), "TZ=UTC")
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	var res []oracleOut
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	total, bad := 0, 0
	for k, r := range reqs {
		d, err := newDiffDetector(r.Pattern, "", "UTC", now)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range r.Lines {
			total++
			want := fmt.Sprint(res[k].Results[i][:6]...)
			if got := diffRow(d, line); got != want {
				if bad++; bad <= 10 {
					t.Errorf("pattern %q line %q:\n got %s\nwant %s", r.Pattern, line, got, want)
				}
			}
		}
	}
	t.Logf("%d of %d sample-log lines agree", total-bad, total)
}

// diffSeed lets a developer widen the generated corpus: DATEDETECT_SEED=n.
func diffSeed() uint64 {
	if s, err := strconv.ParseUint(os.Getenv("DATEDETECT_SEED"), 10, 64); err == nil {
		return s
	}
	return 1
}
