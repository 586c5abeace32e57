package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

const pythonPath = "/usr/bin/python3"

// requireFail2ban skips (or fails under CI=true) without fail2ban's Python
// package, which the oracle tests import.
func requireFail2ban(t *testing.T) {
	t.Helper()
	if err := exec.Command(pythonPath, "-c", "import fail2ban.helpers").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("fail2ban python package needed as test oracle: %v", err)
		}
		t.Skipf("fail2ban python package not available (%v)", err)
	}
}

// line is one record of the format tests.
type line struct {
	name  string
	level slog.Level
	msg   string
	attrs []any
	at    time.Time
}

var t0 = time.Date(2026, 11, 25, 12, 41, 5, 233_900_000, time.UTC)

var formatLines = []line{
	{name: "fail2ban.server", level: LevelInfo, msg: "Starting Fail2ban v1.0.2", at: t0},
	{name: "fail2ban.jail", level: LevelInfo, msg: "Jail 'sshd' started", at: t0.Add(time.Millisecond)},
	{name: "fail2ban.filter", level: LevelInfo, msg: "[sshd] Found 192.0.2.1 - 2026-11-25 12:41:05", at: t0.Add(time.Second)},
	{name: "fail2ban.actions", level: LevelNotice, msg: "[sshd] Ban 192.0.2.1", at: t0.Add(2 * time.Second)},
	{name: "fail2ban.actions", level: LevelNotice, msg: "[sshd] Unban 192.0.2.1", at: t0.Add(3 * time.Second)},
	{name: "fail2ban.observer", level: LevelNotice, msg: "[sshd] Increase Ban 192.0.2.1 (2 # 0:20:00 -> 2026-11-25 13:01:08)", at: t0.Add(3 * time.Second)},
	{name: "fail2ban.transmitter", level: LevelError, msg: "Command ['x'] has failed. Received Exception('boom')", at: t0.Add(4 * time.Second)},
	{name: "fail2ban.database", level: LevelWarning, msg: "New database created. Version '4'", at: t0},
	{name: "fail2ban.filter", level: LevelDebug, msg: "debug", at: t0},
	{name: "fail2ban.filter", level: LevelTrace, msg: "trace", at: t0},
	{name: "fail2ban.filter", level: LevelHeavy, msg: "heavy", at: t0},
	{name: "fail2ban.filter", level: LevelMsg, msg: "msg level", at: t0},
	{name: "fail2ban.filter", level: -5, msg: "between", at: t0},
	{name: "fail2ban.server", level: LevelCritical, msg: "critical", at: t0},
	{name: "fail2ban.a-very-long-logger-name-x", level: LevelInfo, msg: "long name ü", at: t0},
}

// render writes lines through a handler on a target spec and returns the
// output.
func render(t *testing.T, spec string, lines []line) string {
	t.Helper()
	var out bytes.Buffer
	target, err := OpenTarget(spec, TargetOptions{Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	h := New(target, Options{Level: LevelHeavy, PID: 4242, Location: time.UTC})
	for _, l := range lines {
		r := slog.NewRecord(l.at, l.level, l.msg, 0)
		r.Add(l.attrs...)
		if err := h.WithAttrs([]slog.Attr{slog.String(KeyName, l.name)}).Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	return out.String()
}

func TestHandler_Golden(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "stdout", in: "STDOUT", want: "testdata/stdout.golden"},
		{name: "sysout no time", in: "SYSOUT", want: "testdata/sysout.golden"},
		{name: "no padding", in: "stdout[padding=off]", want: "testdata/nopadding.golden"},
		{name: "custom format", in: "STDOUT[format=%(levelname)s|%(name)s|%(message)s]", want: "testdata/custom.golden"},
		{
			name: "widths and precisions",
			in:   "STDOUT[format=%(asctime)30s|%(asctime).13s|%(process)8d|%(levelno)-4d|%(name).6s|%(message)-40s|%(levelname)3.2s]",
			want: "testdata/widths.golden",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.in, formatLines)
			if *update {
				if err := os.WriteFile(tt.want, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(tt.want)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s\n got:\n%s\nwant:\n%s", tt.want, got, want)
			}
		})
	}
}

// TestHandler_MatchesPython formats the same records with Python logging
// and fail2ban's getVerbosityFormat and requires identical lines.
func TestHandler_MatchesPython(t *testing.T) {
	requireFail2ban(t)
	for _, tt := range []struct {
		name              string
		in                string
		datetime, padding bool
	}{
		{name: "default", in: "STDOUT", datetime: true, padding: true},
		{name: "no time", in: "SYSOUT", datetime: false, padding: true},
		{name: "no padding", in: "STDOUT[padding=0]", datetime: true, padding: false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var in bytes.Buffer
			for _, l := range formatLines {
				json.NewEncoder(&in).Encode(map[string]any{"name": l.name, "levelno": PyLevel(l.level), "msg": l.msg,
					"created": float64(l.at.UnixNano()) / 1e9, "datetime": tt.datetime, "padding": tt.padding})
			}
			cmd := exec.Command(pythonPath, "testdata/pyformat.py")
			cmd.Env = append(os.Environ(), "TZ=UTC")
			cmd.Stdin = &in
			want, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			if got := render(t, tt.in, formatLines); got != string(want) {
				t.Errorf("ours:\n%s\npython:\n%s", got, want)
			}
		})
	}
}

func TestHandler_Attrs(t *testing.T) {
	tests := []struct {
		name string
		in   func(*slog.Logger)
		want string
	}{
		{name: "context attrs hidden", in: func(l *slog.Logger) { l.With("jail", "sshd").Info("[sshd] Ban 192.0.2.1") },
			want: "fail2ban                [7]: INFO    [sshd] Ban 192.0.2.1\n"},
		{name: "call attrs appended", in: func(l *slog.Logger) { Named(l, "fail2ban.database").Error("write failed", "err", "disk full", "n", 3) },
			want: "fail2ban.database       [7]: ERROR   write failed err=\"disk full\" n=3\n"},
		{name: "name from call", in: func(l *slog.Logger) { l.Log(context.Background(), LevelNotice, "x", KeyName, "fail2ban.actions") },
			want: "fail2ban.actions        [7]: NOTICE  x\n"},
		{name: "groups", in: func(l *slog.Logger) { l.WithGroup("g").Warn("m", "k", "v", slog.Group("h", "a", 1)) },
			want: "fail2ban                [7]: WARNING m g.k=v g.h.a=1\n"},
		{name: "below threshold", in: func(l *slog.Logger) { l.Debug("hidden") }, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			target, _ := OpenTarget("SYSOUT", TargetOptions{Stdout: &out})
			tt.in(slog.New(New(target, Options{PID: 7})))
			if out.String() != tt.want {
				t.Errorf("got %q, want %q", out.String(), tt.want)
			}
		})
	}
}

// TestRecidive writes ban lines through our handler to a file and runs the
// real fail2ban-regex with Debian's stock recidive filter on it: every Ban
// of another jail must match, nothing else may.
func TestRecidive(t *testing.T) {
	const filter = "/etc/fail2ban/filter.d/recidive.conf"
	if _, err := exec.LookPath("fail2ban-regex"); err != nil || !fileExists(filter) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("fail2ban-regex and %s needed: %v", filter, err)
		}
		t.Skipf("fail2ban-regex or %s not installed", filter)
	}
	path := filepath.Join(t.TempDir(), "fail2ban.log")
	target, err := OpenTarget(path, TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := slog.New(New(target, Options{}))
	acts, filt := Named(l, "fail2ban.actions"), Named(l, "fail2ban.filter")
	bans := []string{"192.0.2.1", "198.51.100.23", "2001:db8::7", "203.0.113.200"}
	for i, ip := range bans {
		jail := []string{"sshd", "nginx-http-auth", "postfix-sasl", "my jail"}[i]
		filt.Info("[" + jail + "] Found " + ip + " - 2026-11-25 12:41:05")
		acts.Log(context.Background(), LevelNotice, "["+jail+"] Ban "+ip)
		acts.Log(context.Background(), LevelNotice, "["+jail+"] Unban "+ip)
		acts.Log(context.Background(), LevelNotice, "["+jail+"] Restore Ban "+ip)
	}
	acts.Log(context.Background(), LevelNotice, "[recidive] Ban 192.0.2.99")
	target.Close()
	out, err := exec.Command("fail2ban-regex", "--print-all-matched", path, filter).CombinedOutput()
	if err != nil {
		t.Fatalf("fail2ban-regex: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Lines: 17 lines, 0 ignored, 4 matched, 13 missed") {
		t.Errorf("recidive did not match exactly the %d Ban lines:\n%s", len(bans), out)
	}
	for _, ip := range bans {
		if !strings.Contains(string(out), "] Ban "+ip) {
			t.Errorf("Ban %s not among the matched lines", ip)
		}
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestAppendAsctime compares the hand-written timestamp with the layout it
// replaces, around the edges of every field.
func TestAppendAsctime(t *testing.T) {
	for _, at := range edgeTimes() {
		want := at.Format(asctimeLayout)
		if got := string(appendAsctime([]byte("x"), at)); got != "x"+want {
			t.Errorf("appendAsctime(%v) = %q, want %q", at, got, "x"+want)
		}
	}
}

// recordHandler keeps the records it handles.
type recordHandler struct {
	level   slog.Level
	records []slog.Record
}

func (h *recordHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }
func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.records = append(h.records, r)
	return nil
}
func (h *recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordHandler) WithGroup(string) slog.Handler      { return h }

// TestLogAt: LogAt records the given time, or now for the zero time.
func TestLogAt(t *testing.T) {
	h := &recordHandler{level: slog.LevelInfo}
	l := slog.New(h)
	at := time.Date(2026, 11, 26, 6, 40, 0, 123, time.UTC)
	LogAt(context.Background(), l, slog.LevelInfo, at, "given")
	before := time.Now()
	LogAt(context.Background(), l, slog.LevelInfo, time.Time{}, "now")
	LogAt(context.Background(), l, slog.LevelDebug, at, "filtered out")
	if len(h.records) != 2 {
		t.Fatalf("got %d records, want 2", len(h.records))
	}
	if r := h.records[0]; !r.Time.Equal(at) || r.Message != "given" {
		t.Errorf("record 0 = %q at %v, want %q at %v", r.Message, r.Time, "given", at)
	}
	if r := h.records[1]; r.Time.Before(before) || r.Message != "now" {
		t.Errorf("record 1 = %q at %v, want %q at or after %v", r.Message, r.Time, "now", before)
	}
}

func TestLog(t *testing.T) {
	h := &recordHandler{level: slog.LevelInfo}
	l := slog.New(h)
	before := time.Now()
	Log(context.Background(), l, slog.LevelDebug, "filtered out")
	Log(context.Background(), l, slog.LevelInfo, "[sshd] Attempt 192.0.2.1")
	Log(nil, l, LevelNotice, "no context") // a nil context is accepted, as by slog
	if len(h.records) != 2 {
		t.Fatalf("got %d records, want 2 (the DEBUG one is below the level)", len(h.records))
	}
	for i, want := range []struct {
		level slog.Level
		msg   string
	}{{slog.LevelInfo, "[sshd] Attempt 192.0.2.1"}, {LevelNotice, "no context"}} {
		r := h.records[i]
		if r.Level != want.level || r.Message != want.msg || r.PC != 0 || r.NumAttrs() != 0 || r.Time.Before(before) {
			t.Errorf("record %d = %v %q pc %d attrs %d at %v, want %v %q pc 0 attrs 0 at or after %v",
				i, r.Level, r.Message, r.PC, r.NumAttrs(), r.Time, want.level, want.msg, before)
		}
	}
}

// BenchmarkLog_Attempt is the INFO line of one socket attempt, as
// pkg/jail logs it, to a buffered file as f2b-server writes its log.
func BenchmarkLog_Attempt(b *testing.B) {
	target, err := OpenTarget(filepath.Join(b.TempDir(), "f2b.log"), TargetOptions{FlushDelay: 50 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	defer target.Close()
	l := Named(slog.New(New(target, Options{})), "fail2ban.filter")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		Log(ctx, l, slog.LevelInfo, "[stress] Attempt 10.0.0.1 - 2026-11-25 16:45:00")
	}
}

// east is a zone with a half-hour offset.
var east = time.FixedZone("east", 5*3600+30*60)

// edgeTimes are instants at the edges of every date and time field, for
// the hand-written formatters to be compared with the layouts they replace.
func edgeTimes() []time.Time {
	return []time.Time{
		time.Date(2026, 11, 25, 12, 41, 5, 233_999_999, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 9, 8, 7, 1_000_000, east),
		time.Date(999, 3, 4, 5, 6, 7, 8, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(0, 0).In(east),
	}
}

func TestAppendDateTime(t *testing.T) {
	times := edgeTimes()
	// And a spread of instants across four centuries, in two zones.
	for i := range int64(2000) {
		at := time.Unix(-2_208_988_800+i*6_311_520_011%12_622_780_800, i*7919)
		times = append(times, at.UTC(), at.In(east))
	}
	for _, at := range times {
		want := at.Format(DateTimeLayout)
		if got := string(AppendDateTime([]byte("x"), at)); got != "x"+want {
			t.Fatalf("AppendDateTime(%v) = %q, want %q", at, got, "x"+want)
		}
	}
}

// TestAppendDateTime_KeptSecond: the kept text of the latest second is
// only used for the same second in the same zone; older seconds, other
// zones and other instants are formatted afresh, also concurrently.
func TestAppendDateTime_KeptSecond(t *testing.T) {
	base := time.Date(2026, 11, 26, 6, 30, 0, 0, time.UTC)
	utc3 := time.FixedZone("UTC", 3*3600) // same name, other offset
	var times []time.Time
	for i := range 50 {
		at := base.Add(time.Duration(i/5) * time.Second).Add(time.Duration(i) * 100 * time.Millisecond)
		times = append(times,
			at, at.In(east), at.In(utc3), at, // same instant, three zones
			at.Add(-time.Hour),           // an older second: not kept
			at.Add(999*time.Millisecond), // maybe the next second
			at.Add(-time.Nanosecond),     // maybe the previous one
		)
	}
	check := func(at time.Time) error {
		want := at.Format(DateTimeLayout)
		if got := string(AppendDateTime([]byte("x"), at)); got != "x"+want {
			return fmt.Errorf("AppendDateTime(%v) = %q, want %q", at, got, "x"+want)
		}
		return nil
	}
	for _, at := range times {
		if err := check(at); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				if err := check(times[(i*7+g)%len(times)].Add(time.Duration(g) * time.Minute)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func FuzzAppendDateTime(f *testing.F) {
	f.Add(int64(0), int64(0))
	f.Add(int64(1_764_000_000), int64(999_999_999))
	f.Add(int64(-62_135_596_801), int64(1))
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		at := time.Unix(sec, nsec).UTC()
		if got, want := string(AppendDateTime(nil, at)), at.Format(DateTimeLayout); got != want {
			t.Fatalf("AppendDateTime(%d, %d) = %q, want %q", sec, nsec, got, want)
		}
		if got, want := string(appendAsctime(nil, at)), at.Format(asctimeLayout); got != want {
			t.Fatalf("appendAsctime(%d, %d) = %q, want %q", sec, nsec, got, want)
		}
	})
}
