package backend

import (
	"context"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// newWatcher is replaced in tests to simulate a system without inotify
// (or with its instance limit reached).
var newWatcher = fsnotify.NewWatcher

// loop is the state of one Run: the current file list, the inotify watcher
// (nil when polling) and the directories it watches.
type loop struct {
	fs     *Files
	r      *reader
	files  []*tailed
	byName map[string]*tailed
	w      *fsnotify.Watcher
	dirs   map[string]bool // watched directories; false = add failed, retry
}

func (l *loop) run(ctx context.Context) error {
	var events <-chan fsnotify.Event
	var errs <-chan error
	if l.fs.opts.Mode == ModeInotify {
		w, err := newWatcher()
		if err != nil {
			l.fs.log.Warn("inotify unavailable, falling back to polling", logKeyErr, err)
		} else {
			l.w, l.dirs = w, map[string]bool{}
			events, errs = w.Events, w.Errors
		}
	}
	tick := time.NewTicker(l.fs.opts.PollInterval)
	defer tick.Stop()
	if err := l.refresh(); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-l.fs.changed:
			if err := l.refresh(); err != nil {
				return err
			}
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			if err := l.handleEvents(ev, events); err != nil {
				return err
			}
		case err := <-errs:
			// Usually a queue overflow: events were lost, read everything.
			l.fs.log.Warn("inotify error, rereading all files", logKeyErr, err)
			if err := l.pollAll(true); err != nil {
				return err
			}
		case <-tick.C:
			l.watchDirs()
			if err := l.pollAll(false); err != nil {
				return err
			}
		}
	}
}

// refresh takes the current file list, closes files that were removed,
// watches new directories and reads new files once.
func (l *loop) refresh() error {
	files := l.fs.snapshot()
	byName := make(map[string]*tailed, len(files))
	for _, t := range files {
		byName[t.name] = t
	}
	for _, t := range l.files {
		if byName[t.name] != t {
			t.closeFile()
		}
	}
	var added []*tailed
	for _, t := range files {
		if l.byName[t.name] != t {
			added = append(added, t)
		}
	}
	l.files, l.byName = files, byName
	l.watchDirs()
	for _, t := range added {
		if err := l.r.poll(t, true); err != nil {
			return err
		}
	}
	return nil
}

// watchDirs adds an inotify watch on the directory of every file; watching
// the directory (not the file) makes creations and renames visible.
func (l *loop) watchDirs() {
	if l.w == nil {
		return
	}
	for _, t := range l.files {
		dir := filepath.Dir(t.name)
		if l.dirs[dir] {
			continue
		}
		l.dirs[dir] = l.w.Add(dir) == nil
	}
}

// handleEvents coalesces the first event with those already queued, then
// reads each affected file once.
func (l *loop) handleEvents(first fsnotify.Event, events <-chan fsnotify.Event) error {
	dirty := map[*tailed]bool{}
	l.mark(dirty, first)
	for more := true; more && len(dirty) < 1024; {
		select {
		case ev, ok := <-events:
			if !ok {
				more = false
				break
			}
			l.mark(dirty, ev)
		default:
			more = false
		}
	}
	for _, t := range l.files {
		if dirty[t] {
			if err := l.r.poll(t, true); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loop) mark(dirty map[*tailed]bool, ev fsnotify.Event) {
	if ev.Op == fsnotify.Chmod {
		return
	}
	if _, ok := l.dirs[ev.Name]; ok && ev.Has(fsnotify.Remove|fsnotify.Rename) {
		// A watched directory went away: the safety poll re-adds the
		// watch once it exists again.
		l.dirs[ev.Name] = false
	}
	if t, ok := l.byName[ev.Name]; ok {
		dirty[t] = true
	}
}

func (l *loop) pollAll(force bool) error {
	for _, t := range l.files {
		if err := l.r.poll(t, force); err != nil {
			return err
		}
	}
	return nil
}

func (l *loop) close() {
	if l.w != nil {
		l.w.Close()
	}
	for _, t := range l.files {
		t.closeFile()
	}
}
