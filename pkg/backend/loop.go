package backend

import (
	"context"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// loop is the state of one Run: the current file list, its subscription
// to the shared inotify watcher (nil when polling) and the directories it
// watches.
type loop struct {
	fs     *Files
	r      *reader
	files  []*tailed
	byName map[string]*tailed
	w      *watchSub
	dirs   map[string]bool // watched directories; false = add failed, retry
}

func (l *loop) run(ctx context.Context) error {
	var events <-chan struct{}
	if l.fs.opts.Mode == ModeInotify {
		w, err := watchers.subscribe()
		if err != nil {
			l.fs.log.Warn("inotify unavailable, falling back to polling", logKeyErr, err)
		} else {
			l.w, l.dirs = w, map[string]bool{}
			events = w.ready
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
		case <-events:
			if err := l.handleEvents(); err != nil {
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
		l.dirs[dir] = l.w.watch(dir)
	}
}

// handleEvents reads once each file that changed since the last call (the
// events come merged by path), or every file if events were lost.
func (l *loop) handleEvents() error {
	evs, err := l.w.take()
	if err != nil {
		// Usually a queue overflow: events were lost, read everything.
		l.fs.log.Warn("inotify error, rereading all files", logKeyErr, err)
		for name, op := range evs {
			l.mark(nil, name, op) // still note removed directories
		}
		return l.pollAll(true)
	}
	dirty := map[*tailed]bool{}
	for name, op := range evs {
		l.mark(dirty, name, op)
	}
	for _, t := range l.files {
		if dirty[t] && !t.removed.Load() {
			if err := l.r.poll(t, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// mark notes in dirty (when not nil) the file an event of op on name
// concerns, and a watched directory that went away.
func (l *loop) mark(dirty map[*tailed]bool, name string, op fsnotify.Op) {
	if op == fsnotify.Chmod {
		return
	}
	if _, ok := l.dirs[name]; ok && op.Has(fsnotify.Remove|fsnotify.Rename) {
		// A watched directory went away: the safety poll re-adds the
		// watch once it exists again.
		l.dirs[name] = false
	}
	if t, ok := l.byName[name]; ok && dirty != nil {
		dirty[t] = true
	}
}

func (l *loop) pollAll(force bool) error {
	for _, t := range l.files {
		if t.removed.Load() {
			continue // RemovePath took it out; refresh closes it
		}
		if err := l.r.poll(t, force); err != nil {
			return err
		}
	}
	return nil
}

func (l *loop) close() {
	if l.w != nil {
		l.w.close()
	}
	for _, t := range l.files {
		t.closeFile()
	}
}
