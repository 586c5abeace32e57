package action

import (
	"context"
	"sync"
)

// Recorder is a Runner that records commands instead of running them;
// tests and dry runs use it. Fail, if set, decides each command's outcome.
type Recorder struct {
	// Fail returns the error to report for c (nil = success).
	Fail func(c Command) error

	mu   sync.Mutex
	cmds []Command
}

// Run implements Runner.
func (r *Recorder) Run(_ context.Context, c Command) (Result, error) {
	r.mu.Lock()
	r.cmds = append(r.cmds, c)
	fail := r.Fail
	r.mu.Unlock()
	if fail != nil {
		if err := fail(c); err != nil {
			return Result{ExitCode: 1}, err
		}
	}
	return Result{}, nil
}

// Commands returns the commands recorded so far.
func (r *Recorder) Commands() []Command {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Command(nil), r.cmds...)
}

// Scripts returns the scripts recorded so far.
func (r *Recorder) Scripts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.cmds))
	for i, c := range r.cmds {
		out[i] = c.Script
	}
	return out
}

// Reset forgets the recorded commands.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cmds = nil
}
