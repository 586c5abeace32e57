package filter

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/config"
)

// TestPipelineEquivalent runs every stock filter over its sample log
// (and near-misses of each line) once line by line with ProcessLine and
// once through a Pipeline with several workers: the results must be
// identical and in the same order, in server and in fail2ban-regex
// (CheckAll) mode, for single-line and multi-line filters.
func TestPipelineEquivalent(t *testing.T) {
	needCorpus(t)
	total, failures, aided := 0, 0, 0
	for _, name := range stockFilters(t) {
		def, err := config.LoadFilter(fpConfDir, name, nil)
		if err != nil {
			continue
		}
		lines := sampleMisses(t, name)
		for _, checkAll := range []bool{false, true} {
			o := fpOptions(def, checkAll)
			seq, err1 := New(o)
			par, err2 := New(o)
			into, err3 := New(o)
			if err1 != nil || err2 != nil || err3 != nil {
				continue
			}
			var got []Result
			var raws []string
			p := NewPipeline(par, 3, func(raw string, _ int, res *Result) {
				raws = append(raws, raw)
				got = append(got, cloneResult(res)) // res is only valid during emit
			})
			if p.aided {
				aided++
			}
			for _, l := range lines {
				p.Add(l, 0)
			}
			p.Close()
			if len(got) != len(lines) {
				t.Fatalf("%s: %d lines in, %d results out", name, len(lines), len(got))
			}
			var reused Result
			for i, l := range lines {
				want := seq.ProcessLine(l)
				if into.ProcessLineInto(l, &reused); !reflect.DeepEqual(reused, want) {
					t.Errorf("%s (checkAll %v): ProcessLineInto and ProcessLine differ on line %d %q\n  into: %+v\n  line: %+v", name, checkAll, i, l, reused, want)
				}
				g := got[i]
				if !want.PrefChecked { // an early ignoreregex came first: the worker still knows
					g.PrefChecked, g.PrefMatched = false, false
				}
				total++
				failures += len(want.Failures)
				if raws[i] != l || !reflect.DeepEqual(g, want) {
					t.Errorf("%s (checkAll %v): pipeline and ProcessLine differ on line %d %q\n  pipeline: %+v\n  line:     %+v", name, checkAll, i, l, g, want)
				}
			}
		}
	}
	t.Logf("%d lines compared, %d failures found, %d filter runs aided by workers", total, failures, aided)
	if failures == 0 || aided == 0 {
		t.Fatal("the match path or the workers were not exercised")
	}
}

// cloneResult copies what a reused Result shares with the next line.
func cloneResult(r *Result) Result {
	c := *r
	c.Failures = slices.Clone(r.Failures)
	for i := range c.Failures {
		f := &c.Failures[i]
		f.Matches, f.Data, f.Users = slices.Clone(f.Matches), slices.Clone(f.Data), slices.Clone(f.Users)
	}
	return c
}

// TestPipelineAddAt: lines with known times (journal entries) give what
// ProcessLineAt gives, and the filter works line by line again after
// Close, with the state the pipeline left.
func TestPipelineAddAt(t *testing.T) {
	o := Options{
		PrefRegex: `^\s*<F-MLFID>\S+ sshd\[\d+\]:</F-MLFID> <F-CONTENT>.+</F-CONTENT>$`,
		FailRegex: []string{`^Failed \S+ for <F-USER>\S+</F-USER> from <HOST>`, `^<F-NOFAIL>Accepted</F-NOFAIL> \S+ for \S+ from <HOST>`},
		Now:       func() time.Time { return time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC) },
	}
	seq, err1 := New(o)
	par, err2 := New(o)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	base := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	msgs := []string{
		"h sshd[1]: Failed password for root from 192.0.2.10 port 22 ssh2",
		"h sshd[2]: Accepted password for git from 192.0.2.11 port 22 ssh2",
		"h cron[3]: nothing to see",
		"h sshd[1]: Failed publickey for admin from 2001:db8::5 port 22 ssh2",
	}
	var got []Result
	var tags []int
	p := NewPipeline(par, 2, func(_ string, tag int, res *Result) { got, tags = append(got, cloneResult(res)), append(tags, tag) })
	for k := range 600 { // several chunks
		p.AddAt(msgs[k%len(msgs)], base.Add(time.Duration(k)*time.Second), k)
		if k == 300 {
			p.Flush()
			if len(got) != 301 {
				t.Fatalf("Flush after 301 entries: %d emitted", len(got))
			}
		}
	}
	p.Close()
	for k, tag := range tags {
		if tag != k {
			t.Fatalf("entry %d emitted with tag %d", k, tag)
		}
	}
	n := 0
	for k := range 600 {
		want := seq.ProcessLineAt(msgs[k%len(msgs)], base.Add(time.Duration(k)*time.Second))
		n += len(want.Failures)
		if !reflect.DeepEqual(got[k], want) {
			t.Fatalf("entry %d: pipeline %+v, ProcessLineAt %+v", k, got[k], want)
		}
	}
	if n != 300 {
		t.Fatalf("%d failures, want 300", n)
	}
	a, b := par.ProcessLine("Nov 25 12:00:00 h sshd[9]: Failed password for x from 192.0.2.12 port 1 ssh2"),
		seq.ProcessLine("Nov 25 12:00:00 h sshd[9]: Failed password for x from 192.0.2.12 port 1 ssh2")
	if !reflect.DeepEqual(a, b) || len(a.Failures) != 1 {
		t.Fatalf("after Close: %+v, line by line: %+v", a, b)
	}
}

// TestKnownDateText: the date text of entries with known times is reused
// within a second, and never after a log line's own date replaced it.
func TestKnownDateText(t *testing.T) {
	f, err := New(Options{FailRegex: []string{`^fail <HOST>$`}, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2026, 11, 25, 12, 0, 0, 500, time.UTC)
	f.ProcessLineAt("fail 192.0.2.1", ts)
	if f.lastText != "2026-11-25T12:00:00" {
		t.Fatalf("lastText %q", f.lastText)
	}
	f.ProcessLine("Nov 25 11:00:00 fail 192.0.2.2")
	if f.lastText == "2026-11-25T12:00:00" {
		t.Fatal("a log line's date did not replace the known date text")
	}
	f.ProcessLineAt("fail 192.0.2.3", ts.Add(time.Millisecond))
	if f.lastText != "2026-11-25T12:00:00" {
		t.Fatalf("same second after a log line: lastText %q", f.lastText)
	}
	f.ProcessLineAt("fail 192.0.2.3", ts.Add(time.Second))
	if f.lastText != "2026-11-25T12:00:01" {
		t.Fatalf("next second: lastText %q", f.lastText)
	}
}

// TestPipelineSubmit: Submit sends a partly filled chunk on without
// waiting; its lines are emitted, in order, before Flush or Close.
func TestPipelineSubmit(t *testing.T) {
	f, err := New(Options{FailRegex: []string{`^<HOST> bad$`}, DatePattern: "{NONE}"})
	if err != nil {
		t.Fatal(err)
	}
	emitted := make(chan string, pipelineChunk)
	p := NewPipeline(f, 2, func(raw string, _ struct{}, res *Result) { emitted <- raw })
	defer p.Close()
	want := []string{"192.0.2.1 bad", "192.0.2.2 good", "192.0.2.3 bad"}
	for _, l := range want {
		p.Add(l, struct{}{})
	}
	p.Submit()
	for i, w := range want {
		select {
		case got := <-emitted:
			if got != w {
				t.Errorf("line %d emitted %q, want %q", i, got, w)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("line %d %q not emitted after Submit", i, w)
		}
	}
	p.Submit() // nothing added since: a no-op
	p.Flush()
	if len(emitted) != 0 {
		t.Errorf("%d lines emitted twice", len(emitted))
	}
}
