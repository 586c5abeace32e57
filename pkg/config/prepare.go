package config

import (
	"runtime"
	"sync"
)

// prepared is the part of a jail's stream that depends on the jail alone:
// its filter's combined options and each action's commands. Computing it
// touches no loader state (only the jail's own readers and the read-only
// stores behind them), so it can run while later jails are still read.
type prepared struct {
	filter    *odict
	filterErr error
	// actions and actionErrs have one entry per j.actions (nil for a
	// python action); errors stay apart so that the stream reports the
	// same first error as computing everything in order would.
	actions    [][][]any
	actionErrs []error
}

// prepare computes j.prep; safe to run concurrently with readJail of other
// jails.
func (j *jail) prepare() {
	p := &prepared{actions: make([][][]any, len(j.actions)), actionErrs: make([]error, len(j.actions))}
	j.prep = p
	if j.cfgErr != "" {
		return
	}
	if j.filter != nil {
		p.filter, p.filterErr = j.filter.combined(nil)
	}
	for i, a := range j.actions {
		if ar, ok := a.(*defReader); ok {
			p.actions[i], p.actionErrs[i] = actionStream(ar)
		}
	}
}

// preparer runs prepare for the jails handed to it on a second goroutine,
// so that on a multi-core machine the tag substitution of finished jails
// overlaps the reading of the next ones. The stream is still assembled in
// jail order afterwards, so the output does not change.
type preparer struct {
	ch     chan *jail
	wg     sync.WaitGroup
	closed bool
}

// newPreparer starts the goroutine, or returns nil on a single core where
// it would only add hand-off cost (jails are then prepared inline).
func newPreparer(n int) *preparer {
	if runtime.GOMAXPROCS(0) < 2 || n < 2 {
		return nil
	}
	p := &preparer{ch: make(chan *jail, n)}
	p.wg.Go(func() {
		for j := range p.ch {
			j.prepare()
		}
	})
	return p
}

// add queues a jail whose reading is finished.
func (p *preparer) add(j *jail) {
	if p != nil {
		p.ch <- j
	}
}

// wait stops the goroutine once every queued jail is prepared; j.prep of
// those jails may be read afterwards.
func (p *preparer) wait() {
	if p != nil && !p.closed {
		p.closed = true
		close(p.ch)
		p.wg.Wait()
	}
}
