package backend

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// newInotifyOnly is an inotify backend whose safety poll is too slow to
// deliver anything within a test: what arrives came through the watcher.
func newInotifyOnly(t *testing.T, name string) *Files {
	t.Helper()
	fs, err := NewFiles(FilesOptions{Mode: ModeInotify, PollInterval: time.Hour, Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.AddPath(PathSpec{Name: name}); err != nil {
		t.Fatal(err)
	}
	return fs
}

// hubState reports whether the shared watcher runs and how many backends
// use it.
func hubState() (running bool, subs int) {
	watchers.mu.Lock()
	defer watchers.mu.Unlock()
	return watchers.w != nil, len(watchers.subs)
}

// waitSubs waits until n backends have joined the shared watcher.
func waitSubs(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		if _, subs := hubState(); subs == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("shared watcher: want %d subscribers", n)
		}
		time.Sleep(time.Millisecond)
	}
}

// Backends in one directory and in another share one watcher; each gets
// its own file's lines, and the watcher closes with the last of them.
func TestWatch_Shared(t *testing.T) {
	d1, d2 := t.TempDir(), t.TempDir()
	names := []string{filepath.Join(d1, "a.log"), filepath.Join(d1, "b.log"), filepath.Join(d2, "c.log")}
	var outs []<-chan Line
	var stops []func()
	for _, name := range names {
		writeFile(t, name, "")
		fs := newInotifyOnly(t, name)
		out := make(chan Line, 16)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- fs.Run(ctx, out) }()
		outs = append(outs, out)
		stops = append(stops, func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run = %v", err)
			}
		})
	}
	waitSubs(t, len(names))
	for i, name := range names {
		appendFile(t, name, filepath.Base(name)+"\n")
		if got := collect(t, outs[i], 1); got[0].Text != filepath.Base(name) {
			t.Errorf("%s: got %q", name, got[0].Text)
		}
	}
	for i, out := range outs {
		select {
		case l := <-out:
			t.Errorf("%s: unexpected line %q", names[i], l.Text)
		default:
		}
	}
	for i, stop := range stops {
		stop()
		running, subs := hubState()
		if last := i == len(stops)-1; running == last || subs != len(stops)-1-i {
			t.Errorf("after stopping %d of %d: watcher running %v with %d subscribers", i+1, len(stops), running, subs)
		}
	}
}

// A backend stuck handing a line to its jail does not hold up the events
// of another one in the same directory.
func TestWatch_SlowBackend(t *testing.T) {
	dir := t.TempDir()
	slow, fast := filepath.Join(dir, "slow.log"), filepath.Join(dir, "fast.log")
	writeFile(t, slow, "")
	writeFile(t, fast, "")
	blocked := make(chan Line) // never read
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- newInotifyOnly(t, slow).Run(ctx, blocked) }()
	t.Cleanup(func() { cancel(); <-done })
	out := startFiles(t, newInotifyOnly(t, fast))
	waitSubs(t, 2)
	appendFile(t, slow, "stuck\n")
	for i := range 50 {
		appendFile(t, slow, "more\n")
		appendFile(t, fast, seqLine(i)+"\n")
		collect(t, out, 1)
	}
}

// Events reach the subscribers of the directory they happen in, merged by
// path; a watcher error reaches everyone.
func TestWatch_Route(t *testing.T) {
	d1, d2 := t.TempDir(), t.TempDir()
	s1, err := watchers.subscribe()
	if err != nil {
		t.Fatal(err)
	}
	defer s1.close()
	s2, err := watchers.subscribe()
	if err != nil {
		t.Fatal(err)
	}
	defer s2.close()
	if !s1.watch(d1) || !s2.watch(d1) || !s2.watch(d2) {
		t.Fatal("watch failed")
	}
	if s1.watch(filepath.Join(d1, "missing")) {
		t.Error("watching a missing directory succeeded")
	}
	a, b := filepath.Join(d1, "a"), filepath.Join(d2, "b")
	writeFile(t, a, "x")
	appendFile(t, a, "y")
	writeFile(t, b, "x")
	// s2 sees both files; s1 only a, whatever the order of delivery.
	waitEvents(t, s2, a, b)
	got := waitEvents(t, s1, a)
	if !got[a].Has(fsnotify.Write) {
		t.Errorf("s1 events for %s: %v, want Write among them", a, got[a])
	}
	if _, ok := got[b]; ok {
		t.Errorf("s1 got an event for %s, which is not in its directories", b)
	}

	watchers.mu.Lock()
	w := watchers.w
	watchers.mu.Unlock()
	watchers.broadcast(w, fsnotify.ErrEventOverflow)
	for _, s := range []*watchSub{s1, s2} {
		<-s.ready
		if _, err := s.take(); err != fsnotify.ErrEventOverflow {
			t.Errorf("take after overflow: err %v", err)
		}
	}
}

// waitEvents collects a subscriber's events until every one of names has
// been seen, and returns them merged.
func waitEvents(t *testing.T, s *watchSub, names ...string) map[string]fsnotify.Op {
	t.Helper()
	all := map[string]fsnotify.Op{}
	deadline := time.After(waitTimeout)
	for {
		missing := false
		for _, n := range names {
			if _, ok := all[n]; !ok {
				missing = true
			}
		}
		if !missing {
			return all
		}
		select {
		case <-s.ready:
			evs, _ := s.take()
			for n, op := range evs {
				all[n] |= op
			}
		case <-deadline:
			t.Fatalf("events %v, want all of %v", all, names)
		}
	}
}
