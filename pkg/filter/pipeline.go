package filter

import (
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// A Pipeline runs a stream of lines through one Filter on several cores
// and hands back exactly the Results that calling ProcessLine (or
// ProcessLineAt) line by line would give, in the same order. Like
// ProcessLineInto, it reuses a failure's storage from line to line: a
// Result is only valid during the emit call that receives it.
//
// A filter's state (the last date, mlfid sessions, the multi-line buffer)
// makes it sequential, but most of its work is not: for a single-line
// filter, which regexes match a line depends only on the line and where
// its date is. So the work is cut in three stages:
//
//  1. Add, on the caller's goroutine: date detection, which keeps state
//     (the detector's template order, the last date for lines without one).
//  2. Workers, in parallel, a chunk of lines each: the prefregex and the
//     failregexes up to the first that matches, with their own buffers
//     (scanner). They keep only offsets, so nothing is copied.
//  3. One consumer goroutine, in order: the rest of find (ignoreregexes,
//     mlfid sessions, the failure ids, everything that keeps state) with
//     the worker's searches standing in for the ones it would repeat, then
//     the caller's emit.
//
// Filters with maxlines > 1 (whose text depends on the lines before) and
// the reference path of the tests run every line in stage 3 unaided; the
// result is the same, only slower.
//
// While a Pipeline is open its Filter belongs to it: stage 1 and stage 3
// touch disjoint parts of the Filter, and nothing else may use it until
// Close returns.
type Pipeline[T any] struct {
	f     *Filter
	emit  func(raw string, tag T, res *Result)
	cur   *chunk[T]
	free  chan *chunk[T] // chunks not in flight: Add blocks when none is left
	work  chan *chunk[T] // to the workers
	order chan *chunk[T] // to the consumer, in Add order
	busy  sync.WaitGroup // chunks submitted and not yet emitted
	wg    sync.WaitGroup // workers and consumer
	// aided is false when stage 2 cannot stand in for find's searches.
	aided bool
}

// pipelineChunk is the number of lines a worker scans at a time: small
// enough that a server's batch of a few dozen lines keeps every worker
// busy, large enough that the hand-offs (a few channel operations per
// chunk) cost little next to the searches.
const pipelineChunk = 32

// chunk is a run of consecutive lines with their per-stage results.
type chunk[T any] struct {
	n      int
	raw    [pipelineChunk]string
	tags   [pipelineChunk]T
	lines  [pipelineChunk]line
	noDate [pipelineChunk]bool
	res    [pipelineChunk]Result
	hints  [pipelineChunk]hint
	arena  []int // backing store of the hints' offsets
	done   chan struct{}
}

// NewPipeline starts a pipeline over f with the given number of workers
// (< 1: GOMAXPROCS). emit is called on one goroutine, in Add order, with
// each line, the tag it was added with, and its Result; res is only valid
// during the call.
func NewPipeline[T any](f *Filter, workers int, emit func(raw string, tag T, res *Result)) *Pipeline[T] {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := 2*workers + 2
	p := &Pipeline[T]{
		f:     f,
		emit:  emit,
		free:  make(chan *chunk[T], n),
		work:  make(chan *chunk[T], n),
		order: make(chan *chunk[T], n),
		aided: f.o.MaxLines <= 1 && !f.slow,
	}
	f.recycle = true // the consumer's results live only during emit
	for range n {
		p.free <- new(chunk[T])
	}
	p.wg.Add(workers + 1)
	for range workers {
		go p.worker()
	}
	go p.consume()
	return p
}

// Add queues one log line (terminator stripped), as ProcessLine.
func (p *Pipeline[T]) Add(raw string, tag T) {
	c, i := p.next()
	c.raw[i], c.tags[i] = raw, tag
	c.lines[i], c.noDate[i] = p.f.splitDate(raw, &c.res[i])
	p.added(c)
}

// AddAt queues a line whose time is known, as ProcessLineAt.
func (p *Pipeline[T]) AddAt(msg string, t time.Time, tag T) {
	c, i := p.next()
	c.raw[i], c.tags[i] = msg, tag
	c.res[i] = Result{Time: t, DateFound: true, DateTemplate: -1}
	p.f.setKnownDate(t)
	c.lines[i], c.noDate[i] = line{date: p.f.lastText, post: msg}, false
	p.added(c)
}

// next returns the chunk being filled and the slot of the next line.
func (p *Pipeline[T]) next() (*chunk[T], int) {
	if p.cur == nil {
		p.cur = <-p.free
		p.cur.n = 0
		p.cur.arena = p.cur.arena[:0]
		p.cur.done = make(chan struct{})
	}
	c := p.cur
	c.res[c.n] = Result{}
	return c, c.n
}

func (p *Pipeline[T]) added(c *chunk[T]) {
	c.n++
	if c.n == pipelineChunk {
		p.submit()
	}
}

// submit hands the chunk being filled to the consumer and the workers.
func (p *Pipeline[T]) submit() {
	c := p.cur
	if c == nil {
		return
	}
	p.cur = nil
	p.busy.Add(1)
	p.order <- c
	p.work <- c
}

// Submit hands the lines added so far to the workers without waiting
// for them: they are emitted soon, in order, while the caller goes on
// adding. A caller that has no more lines for now submits rather than
// flushes, so that the pipeline does not run dry while it waits.
func (p *Pipeline[T]) Submit() { p.submit() }

// Flush waits until every line added so far has been emitted.
func (p *Pipeline[T]) Flush() {
	p.submit()
	p.busy.Wait()
}

// Close processes the lines still queued, waits for their emits and
// stops the goroutines. The Filter may be used directly again after it.
func (p *Pipeline[T]) Close() {
	p.submit()
	close(p.work)
	close(p.order)
	p.wg.Wait()
	p.f.recycle = false
}

func (p *Pipeline[T]) worker() {
	defer p.wg.Done()
	s := scanner{f: p.f}
	for c := range p.work {
		if p.aided {
			for i := range c.n {
				s.scan(c.lines[i], &c.hints[i], &c.arena)
			}
		}
		close(c.done)
	}
}

func (p *Pipeline[T]) consume() {
	defer p.wg.Done()
	var zero T
	for c := range p.order {
		<-c.done
		for i := range c.n {
			var h *hint
			if p.aided {
				h = &c.hints[i]
			}
			p.f.findWith(c.lines[i], c.noDate[i], &c.res[i], h)
			p.emit(c.raw[i], c.tags[i], &c.res[i])
			c.res[i] = Result{}
			c.raw[i], c.tags[i], c.lines[i] = "", zero, line{}
		}
		p.free <- c
		p.busy.Done()
	}
}

// hint is what a worker learned about one line's text: the prefregex
// result and the first failregex that matches, as offsets into the text
// (Match without its text), plus the searches that timed out.
type hint struct {
	preOK  bool
	preErr error
	pre    Match
	first  int // index of the first matching failregex; len(fail): none
	fail   Match
	errs   []idxErr
}

type idxErr struct {
	i   int
	err error
}

// failErr is the error the worker's search of failregex i returned.
func (h *hint) failErr(i int) error {
	for _, e := range h.errs {
		if e.i == i {
			return e.err
		}
	}
	return nil
}

// into fills dst with m's offsets over text (dst's own buffers kept).
func (m *Match) into(dst *Match, text string) *Match {
	hl, bt := dst.hostLoc, dst.bt
	*dst = *m
	dst.text, dst.hostLoc, dst.bt = text, hl, bt
	return dst
}

// scanner is a worker's share of a Filter: the compiled regexes (shared,
// safe for concurrent use) with buffers and precheck statistics of its
// own.
type scanner struct {
	f        *Filter
	text     []byte
	content  []byte
	pre, fai Match
	prechk   []precheckStats
}

// scan runs what find would search for a single buffered line tl: the
// text, the prefregex and its content, then the failregexes in order up
// to the first match.
func (s *scanner) scan(tl line, h *hint, arena *[]int) {
	f := s.f
	*h = hint{first: len(f.fail), errs: h.errs[:0]}
	s.text = append(append(append(s.text[:0], tl.pre...), tl.post...), '\n')
	// the offsets are all that is kept: the text may live in the buffer
	text := unsafe.String(unsafe.SliceData(s.text), len(s.text))
	if f.pref != nil {
		m, err := f.pref.searchInto(text, &s.pre)
		h.preErr = err
		if m == nil {
			return
		}
		h.preOK, h.pre = true, keep(m, arena)
		if c, _ := m.Group("content"); c != "" {
			s.content = append(append(s.content[:0], c...), '\n')
			text = unsafe.String(unsafe.SliceData(s.content), len(s.content))
		}
	}
	cand := f.candidates(text)
	for i, r := range f.fail {
		if i < maxDispatch && cand&(1<<i) == 0 {
			continue
		}
		m, err := s.failSearch(i, r, text)
		if err != nil {
			h.errs = append(h.errs, idxErr{i, err})
		}
		if m != nil {
			h.first, h.fail = i, keep(m, arena)
			return
		}
	}
}

// failSearch is Filter.failSearch with the scanner's buffers and
// statistics.
func (s *scanner) failSearch(i int, r *Regex, text string) (*Match, error) {
	if len(s.prechk) != len(s.f.fail) {
		s.prechk = make([]precheckStats, len(s.f.fail))
	}
	st := &s.prechk[i]
	// the literal prefilter, unless skipped as in Filter.failSearch
	if !(r.walks && st.skipLiterals() && isASCII(text)) && !r.mayMatch(text) {
		st.reject()
		return nil, nil
	}
	if st.use() && !r.walks && !r.quickMatch(text) {
		st.note(false)
		return nil, nil
	}
	m, err := r.engineInto(text, &s.fai)
	st.note(m != nil)
	return m, err
}

// keep copies m's offsets into arena and returns m without its text.
func keep(m *Match, arena *[]int) Match {
	n := len(*arena)
	*arena = append(*arena, m.loc...)
	return Match{loc: (*arena)[n:len(*arena):len(*arena)], idx: m.idx, names: m.names, complex: m.complex}
}
