package backend

import (
	"path/filepath"
	"sync"

	"github.com/fsnotify/fsnotify"
)

// newWatcher is replaced in tests to simulate a system without inotify
// (or with its instance limit reached).
var newWatcher = fsnotify.NewWatcher

// watchers is the process's one inotify instance, shared by every running
// Files backend.
//
// Each fsnotify watcher has a goroutine that reads the kernel's events
// into a 64 KiB array on its stack, so it holds a 128 KiB stack for as
// long as it runs: with a watcher per jail, ten jails kept 1.3 MiB of
// stacks (and ten inotify instances, of the user's 128) for reading a few
// events a second. Sharing one also shares the watches of a directory
// several jails log into.
var watchers watchHub

// watchHub owns the shared watcher: it creates it for the first
// subscriber, closes it when the last one leaves, counts the subscribers
// of every watched directory and routes each event to the subscribers of
// the directory it happened in.
//
// Routing never blocks: a subscriber busy handing lines to its jail
// finds its events merged by name when it comes back, so one slow jail
// cannot hold up the others' events (with a watcher each, the kernel
// queued them instead).
type watchHub struct {
	mu   sync.Mutex
	w    *fsnotify.Watcher
	dirs map[string]*watchedDir
	subs map[*watchSub]bool
}

// watchedDir is one directory of the shared watcher: who wants it, and
// whether the kernel watch is in place (false after a failed Add or once
// the directory was removed or renamed, until a subscriber retries).
type watchedDir struct {
	subs map[*watchSub]bool
	ok   bool
}

// watchSub is one Files backend's view of the shared watcher: the events
// of its directories, merged by path until it takes them.
type watchSub struct {
	hub *watchHub
	// ready has a value when pending or overflow has news.
	ready    chan struct{}
	mu       sync.Mutex
	pending  map[string]fsnotify.Op
	spare    map[string]fsnotify.Op // the map take returned last, reused
	overflow error
}

// subscribe joins the shared watcher, creating it if it is not running.
// The error is newWatcher's: the caller polls instead.
func (h *watchHub) subscribe() (*watchSub, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.w == nil {
		w, err := newWatcher()
		if err != nil {
			return nil, err
		}
		h.w, h.dirs, h.subs = w, map[string]*watchedDir{}, map[*watchSub]bool{}
		go h.dispatch(w)
	}
	s := &watchSub{hub: h, ready: make(chan struct{}, 1),
		pending: map[string]fsnotify.Op{}, spare: map[string]fsnotify.Op{}}
	h.subs[s] = true
	return s, nil
}

// watch asks for the events of dir and reports whether its kernel watch
// is in place; a false result is retried by calling watch again.
func (s *watchSub) watch(dir string) bool {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	d := h.dirs[dir]
	if d == nil {
		d = &watchedDir{subs: map[*watchSub]bool{}}
		h.dirs[dir] = d
	}
	d.subs[s] = true
	if !d.ok {
		d.ok = h.w.Add(dir) == nil
	}
	return d.ok
}

// close leaves the shared watcher: directories nobody else watches are
// removed from it, and the last subscriber closes it.
func (s *watchSub) close() {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, s)
	for dir, d := range h.dirs {
		if !d.subs[s] {
			continue
		}
		delete(d.subs, s)
		if len(d.subs) == 0 {
			if d.ok {
				h.w.Remove(dir)
			}
			delete(h.dirs, dir)
		}
	}
	if len(h.subs) == 0 {
		h.w.Close()
		h.w, h.dirs, h.subs = nil, nil, nil
	}
}

// take returns the events received since the last call, merged by path,
// and the overflow error if the kernel dropped events meanwhile. The map
// is valid until the next call (the two maps take turns).
func (s *watchSub) take() (map[string]fsnotify.Op, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 && s.overflow == nil {
		return nil, nil
	}
	evs, err := s.pending, s.overflow
	clear(s.spare)
	s.pending, s.spare, s.overflow = s.spare, evs, nil
	return evs, err
}

func (s *watchSub) post(ev fsnotify.Event) {
	s.mu.Lock()
	s.pending[ev.Name] |= ev.Op
	s.mu.Unlock()
	s.wake()
}

func (s *watchSub) postErr(err error) {
	s.mu.Lock()
	s.overflow = err
	s.mu.Unlock()
	s.wake()
}

func (s *watchSub) wake() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// dispatch routes the events of w until it is closed.
func (h *watchHub) dispatch(w *fsnotify.Watcher) {
	for {
		select {
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			h.route(w, ev)
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			h.broadcast(w, err)
		}
	}
}

// route hands ev to the subscribers of the directory it happened in, and
// of the path itself when that is a watched directory (removed or renamed:
// its watch is gone and is added again on the next retry).
func (h *watchHub) route(w *fsnotify.Watcher, ev fsnotify.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.w != w {
		return // a closed watcher's last events: nobody asked for them
	}
	if d := h.dirs[ev.Name]; d != nil && ev.Has(fsnotify.Remove|fsnotify.Rename) {
		d.ok = false
		for s := range d.subs {
			s.post(ev)
		}
	}
	if d := h.dirs[filepath.Dir(ev.Name)]; d != nil {
		for s := range d.subs {
			s.post(ev)
		}
	}
}

// broadcast hands a watcher error (usually a queue overflow: events were
// lost) to every subscriber.
func (h *watchHub) broadcast(w *fsnotify.Watcher, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.w != w {
		return
	}
	for s := range h.subs {
		s.postErr(err)
	}
}
