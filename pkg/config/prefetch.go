package config

import (
	"runtime"
	"sync"

	"github.com/f2b/f2b/pkg/ini"
)

// prefetch builds the stores of the filters the enabled jails will ask
// for on a second goroutine, while the jails are read in order on the
// first: parsing ~100 files and merging them is a quarter of a load.
//
// Building a store depends on the files alone, so the worker has a
// loader of its own (file cache, directory listings, errors) and hands
// each finished store over with what reading it produced: the errors and
// the files it asked for. The reader adopts all of it in its own order,
// when it asks for that store, so errors, the files a later lint skips
// and the stream are those of a load without prefetch. A name the reader
// reaches before the worker is built by the reader itself.
type prefetch struct {
	mu      sync.Mutex
	fetches map[string]*fetch
	wg      sync.WaitGroup
}

type fetchState int

const (
	fetchPending fetchState = iota
	fetchBuilding
	fetchDone
	fetchTaken // the reader builds or has adopted it
)

// fetch is one logical name to build.
type fetch struct {
	state fetchState
	done  chan struct{} // closed once state is fetchDone
	st    *store
	err   error
	errs  ini.ErrorList      // what reading the name added to the errors
	files map[string]*parsed // every file the build asked for
}

// startPrefetch starts building the stores of names (in that order) when
// there is a second core; it returns nil otherwise.
func startPrefetch(l *loader, names []string) *prefetch {
	if runtime.GOMAXPROCS(0) < 2 || len(names) == 0 {
		return nil
	}
	p := &prefetch{fetches: make(map[string]*fetch, len(names))}
	var order []string
	for _, n := range names {
		if _, dup := p.fetches[n]; !dup {
			p.fetches[n] = &fetch{done: make(chan struct{})}
			order = append(order, n)
		}
	}
	w := &loader{dir: l.dir, log: l.log, cache: fileCache{files: map[string]*parsed{}}, stores: map[string]*store{}}
	p.wg.Go(func() {
		for _, n := range order {
			p.build(w, n)
		}
	})
	return p
}

// build reads name with the worker's loader unless the reader took it.
func (p *prefetch) build(w *loader, name string) {
	f := p.fetches[name]
	p.mu.Lock()
	if f.state != fetchPending {
		p.mu.Unlock()
		return
	}
	f.state = fetchBuilding
	p.mu.Unlock()

	var touched []string
	w.cache.touched = &touched
	nerrs := len(w.errs)
	f.st, f.err = w.read(name)
	f.errs = append(ini.ErrorList(nil), w.errs[nerrs:]...)
	f.files = make(map[string]*parsed, len(touched))
	for _, t := range touched {
		f.files[t] = w.cache.files[t]
	}
	w.cache.touched = nil

	p.mu.Lock()
	f.state = fetchDone
	p.mu.Unlock()
	close(f.done)
}

// take returns the prefetched result for name, waiting for it if the
// worker is building it; ok is false when the reader must read name
// itself (not prefetched, not started yet, or already taken once).
func (p *prefetch) take(name string) (f *fetch, ok bool) {
	if p == nil {
		return nil, false
	}
	f = p.fetches[name]
	if f == nil {
		return nil, false
	}
	p.mu.Lock()
	state := f.state
	if state != fetchBuilding && state != fetchDone {
		f.state = fetchTaken
		p.mu.Unlock()
		return nil, false
	}
	p.mu.Unlock()
	<-f.done
	p.mu.Lock()
	f.state = fetchTaken
	p.mu.Unlock()
	return f, true
}

// wait stops the worker after its current build: once the jails are read
// (or the load failed), nothing left is needed.
func (p *prefetch) wait() {
	if p == nil {
		return
	}
	p.mu.Lock()
	for _, f := range p.fetches {
		if f.state == fetchPending {
			f.state = fetchTaken
		}
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// adopt makes a prefetched result the reader's own, as if read here.
func (l *loader) adopt(name string, f *fetch) (*store, error) {
	for n, parsed := range f.files {
		if _, ok := l.cache.files[n]; !ok {
			l.cache.files[n] = parsed
		}
	}
	l.errs = append(l.errs, f.errs...)
	if f.err != nil {
		return nil, f.err
	}
	l.stores[name] = f.st
	return f.st, nil
}

// filterHints guesses the filter files the enabled jails of names will
// read: the filter option as the first pass reads it. A wrong guess
// costs a wasted build on the worker, never a different result.
func (l *loader) filterHints(names []string) []string {
	var out []string
	for _, n := range names {
		if n == "INCLUDES" || l.jails.section(n) == nil {
			continue
		}
		if v, err := l.jails.get(n, "enabled", nil); err != nil || !asBool(v) {
			continue
		}
		flt, err := l.jails.get(n, "filter", nil)
		if err != nil || flt == "" {
			continue
		}
		if name, _, err := Args(flt); err == nil && name != "" {
			out = append(out, joinLogical("filter.d", name))
		}
	}
	return out
}
