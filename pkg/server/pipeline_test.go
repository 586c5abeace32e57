package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/f2b/f2b/pkg/backend"
	"github.com/f2b/f2b/pkg/logging"
)

// newPipeJail returns a stopped jail "web" (failregex "<HOST> bad",
// maxretry 2) of a server logging in fail2ban's format to the returned
// buffer.
func newPipeJail(t testing.TB) (*Jail, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	target, err := logging.OpenTarget("STDOUT", logging.TargetOptions{Stdout: &buf})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Logger: slog.New(logging.New(target, logging.Options{PID: 7}))})
	j, err := s.newJail("web", "polling")
	if err != nil {
		t.Fatal(err)
	}
	j.fopts.FailRegex = []string{`^<HOST> bad$`, `^\S+ sshd\[\d+\]: Failed password for \S+ from <HOST>`}
	j.core.SetMaxRetry(2)
	j.core.SetIgnoreSelf(false) // no resolver lookups (they escape a synctest bubble)
	return j, &buf
}

// TestPipeline_LoggerNames checks that the jail's messages carry fail2ban's
// logger names, which the stock recidive filter anchors on.
func TestPipeline_LoggerNames(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		j, buf := newPipeJail(t)
		ctx := t.Context()
		if err := j.core.Start(ctx); err != nil {
			t.Fatal(err)
		}
		p := &pipe{j: j, gen: -1}
		p.process(ctx, []backend.Line{
			{Text: "192.0.2.1 bad", File: "/l", Pos: 14, Live: true},
			{Text: "192.0.2.1 bad", File: "/l", Pos: 28, Live: true},
		})
		synctest.Wait()
		if err := j.core.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			want *regexp.Regexp
		}{
			{name: "found", want: regexp.MustCompile(`(?m) fail2ban\.filter +\[7\]: INFO +\[web\] Found 192\.0\.2\.1 - `)},
			{name: "ban", want: regexp.MustCompile(`(?m) fail2ban\.actions +\[7\]: NOTICE +\[web\] Ban 192\.0\.2\.1$`)},
		}
		for _, tt := range tests {
			if !tt.want.Match(buf.Bytes()) {
				t.Errorf("%s: no line matches %s in:\n%s", tt.name, tt.want, buf)
			}
		}
	})
}

// TestPipeline_Positions checks the per-batch position bookkeeping: each
// file ends at the offset past its last line in the batch.
func TestPipeline_Positions(t *testing.T) {
	tests := []struct {
		name string
		in   []backend.Line
		want map[string]int64
	}{
		{name: "one file", in: []backend.Line{{Text: "a", File: "/a", Pos: 2}, {Text: "b", File: "/a", Pos: 4}},
			want: map[string]int64{"/a": 4}},
		{name: "interleaved", in: []backend.Line{{Text: "a", File: "/a", Pos: 2}, {Text: "b", File: "/b", Pos: 9}, {Text: "c", File: "/a", Pos: 7}},
			want: map[string]int64{"/a": 7, "/b": 9}},
		{name: "journal", in: []backend.Line{{Text: "a", Pos: 123}}, want: map[string]int64{}},
		{name: "empty", want: map[string]int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := newPipeJail(t)
			(&pipe{j: j, gen: -1}).process(t.Context(), tt.in)
			if fmt.Sprint(j.processed) != fmt.Sprint(tt.want) {
				t.Errorf("processed = %v, want %v", j.processed, tt.want)
			}
			if j.posDirty != (len(tt.want) > 0) {
				t.Errorf("posDirty = %v with %d files", j.posDirty, len(tt.want))
			}
		})
	}
}

func TestPipeline_Drain(t *testing.T) {
	tests := []struct {
		name string
		in   int // lines waiting in the channel
		want int
	}{
		{name: "none", in: 0, want: 1},
		{name: "some", in: 5, want: 6},
		{name: "capped", in: 2 * maxBatch, want: maxBatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := make(chan backend.Line, 2*maxBatch)
			for range tt.in {
				ch <- backend.Line{Text: "x"}
			}
			got := drain(ch, []backend.Line{{Text: "first"}})
			if len(got) != tt.want || got[0].Text != "first" {
				t.Errorf("drain took %d lines (first %q), want %d", len(got), got[0].Text, tt.want)
			}
		})
	}
}

// TestPipeline_FilterRebuild checks that a filter setting change reaches
// lines of the next batch.
func TestPipeline_FilterRebuild(t *testing.T) {
	j, buf := newPipeJail(t)
	p := &pipe{j: j, gen: -1}
	p.process(t.Context(), []backend.Line{{Text: "192.0.2.9 worse", Live: true}})
	j.mu.Lock()
	j.fopts.FailRegex = []string{`^<HOST> worse$`}
	j.mu.Unlock()
	j.filterGen.Add(1)
	p.process(t.Context(), []backend.Line{{Text: "192.0.2.9 worse", Live: true}})
	if n := strings.Count(buf.String(), "Found 192.0.2.9"); n != 1 {
		t.Errorf("found %d times, want 1 (after the rebuild only):\n%s", n, buf)
	}
}

// TestPipeline_Parallel sends batches long enough for the parallel filter
// and checks that every failure reaches the core, in line order, and that
// the positions end at the last line once the pipe settled.
func TestPipeline_Parallel(t *testing.T) {
	j, buf := newPipeJail(t)
	j.core.SetMaxRetry(1 << 20)
	if err := j.core.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	p := &pipe{j: j, gen: -1}
	var want []string
	pos := int64(0)
	for b := range 5 {
		batch := make([]backend.Line, 3*parallelBatch)
		for i := range batch {
			text := "192.0.2.1 good"
			if i%3 == 0 {
				ip := fmt.Sprintf("198.51.100.%d", (b*len(batch)+i)%250+1)
				text = ip + " bad"
				want = append(want, ip)
			}
			pos += int64(len(text) + 1)
			batch[i] = backend.Line{Text: text, File: "/var/log/auth.log", Pos: pos, Live: true}
		}
		p.process(t.Context(), batch)
		if p.par == nil {
			t.Fatalf("batch %d of %d lines did not use the parallel filter", b, len(batch))
		}
	}
	p.settle()
	if err := j.core.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range regexp.MustCompile(`Found (\S+) - `).FindAllStringSubmatch(buf.String(), -1) {
		got = append(got, m[1])
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("found %d failures, want %d in line order:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	if j.processed["/var/log/auth.log"] != pos {
		t.Errorf("processed up to %d, want %d", j.processed["/var/log/auth.log"], pos)
	}
}

// BenchmarkPipeline_Process is the server's share of ingestion around the
// filter: one batch of sshd-like lines, a quarter of them failures from
// distinct addresses.
func BenchmarkPipeline_Process(b *testing.B) {
	j, _ := newPipeJail(b)
	j.core.SetMaxRetry(1 << 30)
	batch := make([]backend.Line, maxBatch)
	for i := range batch {
		text := "Nov 25 14:00:00 host sshd[1]: Accepted publickey for root from 192.0.2.1 port 22 ssh2"
		if i%4 == 0 {
			text = fmt.Sprintf("Nov 25 14:00:00 host sshd[1]: Failed password for root from 198.51.100.%d port 22 ssh2", i)
		}
		batch[i] = backend.Line{Text: text, File: "/var/log/auth.log", Pos: int64(i * 40), Live: true}
	}
	p := &pipe{j: j, gen: -1}
	ctx := b.Context()
	for b.Loop() {
		p.process(ctx, batch)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch)), "ns/line")
}
