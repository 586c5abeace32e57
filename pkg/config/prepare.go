package config

import (
	"runtime"
	"sync"
)

// prepared is the part of a jail's stream that depends on the jail alone:
// its filter's combined options, each action's commands and the stream
// built from them (with the log files its globs find). Computing it
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

	// The jail's part of the stream (buildStream) and its first error;
	// logs are the messages building it left to log and noLogs tells
	// that no log file was found.
	jail      string
	stream    [][]any
	streamErr error
	logs      []jailLog
	noLogs    bool
}

// prepare computes j.prep; jails sharing a filter or action file may be
// prepared concurrently.
func (j *jail) prepare() {
	p := &prepared{jail: j.name, actions: make([][][]any, len(j.actions)), actionErrs: make([]error, len(j.actions))}
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
	j.buildStream()
}

// prepareBatch is how many read jails are handed to the preparing
// goroutine at once: handing them over one by one woke it ~100 times a
// run, which cost more CPU time than the overlap saved; one batch of all
// jails at the end left reading and preparing in sequence.
const prepareBatch = 8

// preparer prepares read jails on a second goroutine while later jails
// are still read, in batches. The stream is assembled in jail order
// afterwards, so the output does not depend on which goroutine prepared
// a jail.
type preparer struct {
	batch []*jail
	work  chan []*jail // nil: prepare in wait, on the calling goroutine
	wg    sync.WaitGroup
	all   []*jail
}

// newPreparer starts the preparing goroutine when there is a second core
// and the tree has more jails than one batch.
func newPreparer(jails int) *preparer {
	p := &preparer{}
	if runtime.GOMAXPROCS(0) < 2 || jails <= prepareBatch {
		return p
	}
	p.work = make(chan []*jail, jails/prepareBatch+1) // never blocks the reader
	p.wg.Go(func() {
		for b := range p.work {
			prepareJails(b)
		}
	})
	return p
}

// add queues a read jail; it must not be changed afterwards.
func (p *preparer) add(j *jail) {
	p.all = append(p.all, j)
	if p.work == nil {
		return
	}
	p.batch = append(p.batch, j)
	if len(p.batch) == prepareBatch {
		p.work <- p.batch
		p.batch = nil
	}
}

// wait prepares what is left, helping the other goroutine with the
// queued batches, and returns once every added jail is prepared. The
// jails of the last, partial batch are never queued: wait takes them.
func (p *preparer) wait() {
	if p.work == nil {
		prepareJails(p.all)
		return
	}
	close(p.work)
	// The other goroutine works through its batches from the front; this
	// one takes the jails from the back, so the two finish within a
	// jail of each other instead of a batch.
	for i := len(p.all) - 1; i >= 0; i-- {
		if j := p.all[i]; j.claim() {
			j.prepare()
		}
	}
	p.wg.Wait()
}

// claim reports whether the caller is the one to prepare j.
func (j *jail) claim() bool { return j.claimed.CompareAndSwap(false, true) }

func prepareJails(jails []*jail) {
	for _, j := range jails {
		if j.claim() {
			j.prepare()
		}
	}
}
