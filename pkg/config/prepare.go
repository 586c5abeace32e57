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

// prepare computes j.prep; jails sharing a filter or action file may be
// prepared concurrently.
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

// prepareAll prepares jails, the second half on another goroutine when
// there is a second core. Handing over the work in one piece (rather than
// jail by jail while they are read) keeps the goroutine from being woken
// ~100 times, which cost more CPU time than the overlap saved. The stream
// is still assembled in jail order afterwards, so the output does not
// change.
func prepareAll(jails []*jail) {
	if runtime.GOMAXPROCS(0) < 2 || len(jails) < 8 {
		for _, j := range jails {
			j.prepare()
		}
		return
	}
	half := len(jails) / 2
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, j := range jails[half:] {
			j.prepare()
		}
	})
	for _, j := range jails[:half] {
		j.prepare()
	}
	wg.Wait()
}
