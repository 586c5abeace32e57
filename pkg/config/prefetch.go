package config

import (
	"runtime"
	"sync"

	"github.com/f2b/f2b/pkg/ini"
)

// prefetch builds the stores of the filters the enabled jails will ask
// for on another goroutine, while the jails are read in order on the
// first: parsing ~100 files and merging them is a quarter of a load. A
// third goroutine then reads each jail's filter from its store with the
// jail's first-pass options, as jailFilter does; the reader uses that
// only if its own first pass gave the same options and it got the same
// store.
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
	filters map[string]*fetchedFilter // by jail
	wg      sync.WaitGroup
}

// filterHint is what the reader is expected to ask for a jail's filter.
type filterHint struct {
	jail, spec string // the jail and its filter option ("sshd[mode=aggressive]")
	file, name string // the logical file ("filter.d/sshd") and the filter's name
	args       []Arg
	opts       *odict // the jail's first-pass options
}

// fetchedFilter is a jail's filter read on the worker: state and done as
// for a fetch; fr and comb are only set when reading it succeeded.
type fetchedFilter struct {
	hint  filterHint
	state fetchState
	done  chan struct{}
	fr    *defReader
	comb  *odict
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

// startPrefetch starts reading the filters of hints (in that order) when
// there is a second core; it returns nil otherwise.
func startPrefetch(l *loader, hints []filterHint) *prefetch {
	if runtime.GOMAXPROCS(0) < 2 || len(hints) == 0 {
		return nil
	}
	p := &prefetch{fetches: make(map[string]*fetch, len(hints)), filters: make(map[string]*fetchedFilter, len(hints))}
	for _, h := range hints {
		if _, dup := p.fetches[h.file]; !dup {
			p.fetches[h.file] = &fetch{done: make(chan struct{})}
		}
		p.filters[h.jail] = &fetchedFilter{hint: h, done: make(chan struct{})}
	}
	w := &loader{dir: l.dir, log: l.log, cache: fileCache{files: map[string]*parsed{}}, stores: map[string]*store{}}
	// Two stages, each on its own goroutine, so that reading jail i's
	// filter overlaps building the store of jail i+1 (one goroutine
	// doing both in turn left the reader waiting for it): the first
	// builds the stores in hint order and tells when each hint's store is
	// settled (built, or taken by the reader); the second then reads the
	// jail's filter from it.
	settled := make([]chan struct{}, len(hints))
	for i := range settled {
		settled[i] = make(chan struct{})
	}
	p.wg.Go(func() {
		for i, h := range hints {
			p.build(w, h.file)
			close(settled[i])
		}
	})
	p.wg.Go(func() {
		for i, h := range hints {
			<-settled[i]
			p.readFilter(p.filters[h.jail], p.fetches[h.file])
		}
	})
	return p
}

// readFilter reads a jail's filter as jailFilter would, from the store
// the worker built for it (fe, settled), unless the reader got there
// first. Without that store (the reader took the name, or building it
// failed) it leaves the filter to the reader.
func (p *prefetch) readFilter(f *fetchedFilter, fe *fetch) {
	p.mu.Lock()
	if f.state != fetchPending || fe.st == nil {
		p.mu.Unlock()
		return
	}
	f.state = fetchBuilding
	p.mu.Unlock()

	h := f.hint
	fr := defReaderOf(fe.st, h.file, h.name, h.jail, h.args, filterOpts)
	if comb, err := filterOptions(fr, h.opts.Copy()); err == nil {
		f.fr, f.comb = fr, comb
	}

	p.mu.Lock()
	f.state = fetchDone
	p.mu.Unlock()
	close(f.done)
}

// filterOf returns the filter the worker read for jail when it was read
// from the same store (st, which the reader just got) with the same
// filter option and first-pass options; ok is false otherwise, and the
// reader reads it itself.
func (p *prefetch) filterOf(jail string, st *store, spec string, opts *odict) (f *fetchedFilter, ok bool) {
	if p == nil {
		return nil, false
	}
	f = p.filters[jail]
	if f == nil {
		return nil, false
	}
	p.mu.Lock()
	state := f.state
	if state == fetchPending {
		f.state = fetchTaken
	}
	p.mu.Unlock()
	if state != fetchBuilding && state != fetchDone {
		return nil, false
	}
	<-f.done
	if f.fr == nil || f.fr.st != st || f.hint.spec != spec || !sameOptions(f.hint.opts, opts) {
		return nil, false
	}
	return f, true
}

// sameOptions reports whether two first-pass option dicts are equal (their
// values are strings, bools or nil).
func sameOptions(a, b *odict) bool {
	if a.Len() != b.Len() {
		return false
	}
	for i, k := range a.keys {
		if b.keys[i] != k || a.vals[i] != b.vals[i] {
			return false
		}
	}
	return true
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
	for _, f := range p.filters {
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

// firstPasses computes the first pass of each jail's options (readJail's
// first getOptions), in order; a nil entry failed or has no section, and
// readJail computes it again. Reading a jail changes only its own
// section, so a first pass computed before any jail is read stands for
// readJail's own unless it referred to another section; reuse tells that
// none did.
func (l *loader) firstPasses(names []string) (first []*odict, reuse bool) {
	first = make([]*odict, len(names))
	for i, n := range names {
		if n == "INCLUDES" || l.jails.section(n) == nil {
			continue
		}
		if opts, err := l.jails.getOptions(n, jailOpts1st, nil, true, true); err == nil {
			first[i] = opts
		}
	}
	return first, !l.jails.foreignRef.Load()
}

// filterHints guesses the filters the enabled jails of names will read
// from their first passes (first, by position). Reading a jail changes
// only its own section, so this guess is right unless a jail refers to
// another jail's section; a wrong guess costs work on the worker, never a
// different result (see filterOf).
func (l *loader) filterHints(names []string, first []*odict) []filterHint {
	var out []filterHint
	for i, n := range names {
		opts := first[i]
		if opts == nil || !(&jail{opts: opts}).enabled() {
			continue
		}
		spec := optString(opts, "filter")
		if spec == "" {
			continue
		}
		if name, args, err := Args(spec); err == nil && name != "" {
			out = append(out, filterHint{jail: n, spec: spec, file: joinLogical("filter.d", name), name: name, args: args, opts: opts})
		}
	}
	return out
}
