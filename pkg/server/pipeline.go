package server

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/f2b/f2b/pkg/backend"
	"github.com/f2b/f2b/pkg/filter"
	"github.com/f2b/f2b/pkg/jail"
)

// lineBuffer is the capacity of the backend → pipeline channel. A full
// channel only makes the backend wait (it reads ahead by no more than
// this), so a small buffer costs no lines; each slot is ~72 bytes and
// every jail has one, which made the earlier 1024 the largest part of an
// idle server's heap.
const lineBuffer = 128

// maxBatch bounds how many lines the pipeline takes from the channel
// without blocking before it handles them: the filter-generation check and
// the position bookkeeping are then paid once per batch, not per line.
// Lines are never held back waiting for a batch to fill.
const maxBatch = 64

// positionSaveInterval is how often the processed positions go to the
// database while lines are flowing.
const positionSaveInterval = time.Second

// parallelBatch is the batch length from which the lines go through a
// filter.Pipeline: a backlog (a burst, a log read from the start) is
// matched on every core, while lines arriving one at a time skip the
// hand-offs between goroutines.
const parallelBatch = 32

// pipe is the pipeline goroutine's state: the compiled filter and the
// generation it was built from.
type pipe struct {
	j   *Jail
	flt *filter.Filter
	gen int64
	// par is the parallel filter once a backlog came; what it holds is
	// submitted whenever the backend has nothing more waiting, and it is
	// closed after a tick without lines (used).
	par  *filter.Pipeline[linePos]
	used bool
	// res is reused from line to line (ProcessLineInto): the core copies
	// what it keeps of a failure.
	res filter.Result
	// clock is the filter's clock, read once per batch.
	clock batchClock
}

// batchClock is "now" for a jail's filter, read from the system clock
// once per batch of lines instead of once per line: time.Now costs about
// 70 ns on a VM, a tenth of what a php-api line costs in all. The filter
// uses now for year inference, for lines without a date and for its mlfid
// sessions' five-minute lifetime, where a batch's few milliseconds do not
// matter. Atomic: a Pipeline's consumer goroutine reads it too.
type batchClock struct{ ns atomic.Int64 }

// tick reads the system clock.
func (c *batchClock) tick() { c.ns.Store(time.Now().UnixNano()) }

// now is the time of the last tick, in the local zone as time.Now's.
func (c *batchClock) now() time.Time { return time.Unix(0, c.ns.Load()) }

// linePos is where a line ends in its file ("" for journal entries).
type linePos struct {
	file string
	pos  int64
}

// pipeline runs each line through the filter and hands failures to the
// core, until ctx is done. The filter is rebuilt when a filter setting
// changed.
func (j *Jail) pipeline(ctx context.Context, lines <-chan backend.Line) {
	p := &pipe{j: j, gen: -1}
	tick := time.NewTicker(positionSaveInterval)
	defer tick.Stop()
	batch := make([]backend.Line, 0, maxBatch)
	for {
		select {
		case <-ctx.Done():
			p.settle()
			return
		case <-tick.C:
			if !p.used {
				p.settle() // a second without lines: free the workers
			}
			p.used = false
			j.savePositions(false)
		case ln := <-lines:
			batch = drain(lines, append(batch, ln))
			p.process(ctx, batch)
			clear(batch) // drop the line texts before waiting again
			batch = batch[:0]
			if p.par != nil && len(lines) == 0 {
				// Nothing more waiting: the lines of the partly filled
				// chunk go to the workers now, without waiting for them
				// (waiting drained the pipeline each time the backend
				// fell behind, ~500 times in 100,000 lines).
				p.par.Submit()
			}
		}
	}
}

// drain appends the lines already waiting in the channel, up to maxBatch.
func drain(lines <-chan backend.Line, batch []backend.Line) []backend.Line {
	for len(batch) < maxBatch {
		select {
		case ln := <-lines:
			batch = append(batch, ln)
		default:
			return batch
		}
	}
	return batch
}

// process filters a batch and records how far each file got.
func (p *pipe) process(ctx context.Context, batch []backend.Line) {
	p.clock.tick()
	if !p.ready() {
		return
	}
	p.used = true
	if p.par == nil && len(batch) >= parallelBatch && runtime.GOMAXPROCS(0) > 1 {
		p.par = filter.NewPipeline(p.flt, 0, func(_ string, at linePos, res *filter.Result) {
			p.failures(ctx, res)
			if at.file != "" {
				p.j.markProcessed(at.file, at.pos)
			}
		})
	}
	if p.par != nil {
		for i := range batch {
			ln := &batch[i]
			if !ln.Time.IsZero() {
				p.par.AddAt(ln.Text, ln.Time, linePos{ln.File, ln.Pos})
			} else {
				p.par.Add(ln.Text, linePos{ln.File, ln.Pos})
			}
		}
		return
	}
	var file string
	var pos int64
	for i := range batch {
		ln := &batch[i]
		p.line(ctx, ln)
		if ln.File == "" {
			continue
		}
		if file != "" && ln.File != file {
			p.j.markProcessed(file, pos)
		}
		file, pos = ln.File, ln.Pos
	}
	if file != "" {
		p.j.markProcessed(file, pos)
	}
}

// ready rebuilds the filter when its settings changed; false when the
// current settings do not compile (the batch is dropped, as fail2ban
// drops lines while a jail has no usable filter).
func (p *pipe) ready() bool {
	g := p.j.filterGen.Load()
	if g == p.gen && p.flt != nil {
		return true
	}
	p.settle() // lines already queued keep the filter they were read with
	f, err := p.j.buildFilter(p.clock.now)
	p.gen = g
	if err != nil {
		p.flt = nil
		p.j.log.Error("filter", "err", err)
		return false
	}
	p.flt = f
	return true
}

// settle ends the parallel filter, if any, once its lines reached the
// core; the lines that follow go line by line until the next backlog.
func (p *pipe) settle() {
	if p.par != nil {
		p.par.Close()
		p.par = nil
	}
}

func (p *pipe) line(ctx context.Context, ln *backend.Line) {
	if !ln.Time.IsZero() {
		p.flt.ProcessLineAtInto(ln.Text, ln.Time, &p.res)
	} else {
		p.flt.ProcessLineInto(ln.Text, &p.res)
	}
	p.failures(ctx, &p.res)
	p.res = filter.Result{} // hold no line past its turn
}

func (p *pipe) failures(ctx context.Context, res *filter.Result) {
	for i := range res.Failures {
		p.j.core.AddFailure(ctx, toJailFailure(&res.Failures[i]))
	}
}

func toJailFailure(f *filter.Failure) jail.Failure {
	jf := jail.Failure{Time: f.Time, Matches: f.Matches, Tags: f.Data}
	if f.ID.IsSingle() {
		jf.IP = f.ID.IP()
	} else {
		jf.ID = f.ID.String()
	}
	return jf
}

func (j *Jail) buildFilter(now func() time.Time) (*filter.Filter, error) {
	j.mu.Lock()
	o := j.fopts
	o.FailRegex = append([]string(nil), o.FailRegex...)
	o.IgnoreRegex = append([]string(nil), o.IgnoreRegex...)
	o.DatePattern = j.datepattern
	if tz, ok := j.logtimezone.(string); ok {
		o.LogTimezone = tz
	}
	o.Logger = j.log
	o.Now = now
	j.mu.Unlock()
	return filter.New(o)
}

// markProcessed records that every line of file before pos reached the
// core.
func (j *Jail) markProcessed(file string, pos int64) {
	j.posMu.Lock()
	j.processed[file] = pos
	j.posDirty = true
	j.posMu.Unlock()
}

// savePositions stores what the filter has processed, not what the
// backend has read ahead: a restart must not skip lines still in the
// channel. Unless force, nothing is written when no line was processed
// since the last call, so idle jails do not touch the database.
func (j *Jail) savePositions(force bool) {
	if j.s.db == nil || j.files == nil {
		return
	}
	j.posMu.Lock()
	defer j.posMu.Unlock()
	if !force && !j.posDirty {
		return
	}
	j.posDirty = false
	for _, p := range j.files.Positions() {
		done, ok := j.processed[p.File]
		if !ok {
			continue
		}
		if done < p.Pos {
			p.Pos = done
		}
		j.s.dbUpdateLog(j.name, p)
	}
}
