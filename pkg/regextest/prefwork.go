package regextest

import (
	"sync"

	"github.com/f2b/f2b/pkg/filter"
)

// prefWorker counts prefregex matches of the lines the filter gave no
// hit, on another goroutine: the search is stateless (a compiled Regex is
// safe for concurrent use), only the count is reported, and the order of
// the lines does not matter for it. -v needs the groups in order and
// searches inline instead.
type prefWorker struct {
	re      *filter.Regex
	texts   chan []string
	batch   []string
	wg      sync.WaitGroup
	matched int
}

func newPrefWorker(re *filter.Regex) *prefWorker {
	p := &prefWorker{re: re, texts: make(chan []string, 8), batch: make([]string, 0, batchLines)}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for b := range p.texts {
			for _, s := range b {
				if m, _ := p.re.Search(s); m != nil {
					p.matched++
				}
			}
		}
	}()
	return p
}

// add queues one text (the line with its date cut, plus "\n").
func (p *prefWorker) add(text string) {
	p.batch = append(p.batch, text)
	if len(p.batch) == batchLines {
		p.texts <- p.batch
		p.batch = make([]string, 0, batchLines)
	}
}

// wait flushes the queue and returns the number of matches.
func (p *prefWorker) wait() int {
	if len(p.batch) > 0 {
		p.texts <- p.batch
	}
	close(p.texts)
	p.wg.Wait()
	return p.matched
}
