package jail

import (
	"context"
	"time"
)

// sleepTime is fail2ban's actions loop period: the longest the loop waits
// when there is no ban to end sooner.
const sleepTime = 2 * time.Second

// Run starts the actions, restores bans from the store and then bans
// queued tickets and unbans expired ones until ctx is cancelled or Stop
// is called. On the way out it flushes the ban list through the actions
// (the database keeps the bans, so the next start restores them) and
// stops the actions, under a context that survives the cancellation and
// is bounded by Options.ActionTimeout. Run returns ErrRunning when the
// jail is already running, else nil.
func (j *Jail) Run(ctx context.Context) error {
	ctx, done, err := j.register(ctx)
	if err != nil {
		return err
	}
	j.run(ctx, done)
	return nil
}

// Start is Run in a goroutine the jail owns: when Start returns nil the
// jail is registered as running, so a following Stop always waits for it.
func (j *Jail) Start(ctx context.Context) error {
	ctx, done, err := j.register(ctx)
	if err != nil {
		return err
	}
	go j.run(ctx, done)
	return nil
}

func (j *Jail) register(ctx context.Context) (context.Context, chan struct{}, error) {
	j.runMu.Lock()
	defer j.runMu.Unlock()
	if j.done != nil {
		return nil, nil, ErrRunning
	}
	ctx, cancel := context.WithCancel(ctx)
	j.cancel, j.done = cancel, make(chan struct{})
	return ctx, j.done, nil
}

func (j *Jail) run(ctx context.Context, done chan struct{}) {
	defer func() {
		j.runMu.Lock()
		j.cancel()
		j.cancel, j.done = nil, nil
		j.runMu.Unlock()
		close(done)
	}()
	// actionstart runs to completion even when a stop follows at once, so
	// that actionstop always has a started action to undo.
	startCtx, cancelStart := context.WithTimeout(context.WithoutCancel(ctx), j.opts.ActionTimeout)
	err := j.opts.Actions.Start(startCtx)
	cancelStart()
	if err != nil {
		j.log.Error("starting actions failed", logKeyErr, err)
	}
	j.restore(ctx)
	j.loop(ctx)
	j.shutdown(ctx)
}

func (j *Jail) loop(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		if !j.Idle() {
			j.processQueue(ctx)
			j.unbanExpired(ctx)
		}
		timer.Reset(j.wait())
		select {
		case <-ctx.Done():
			return
		case <-j.wake:
		case <-timer.C:
		}
	}
}

// wait is the time until the next end of ban (just past it, since a ban
// ends when now > eob), at most sleepTime.
func (j *Jail) wait() time.Duration {
	j.banMu.RLock()
	eob, ok := j.bm.nextEOB()
	j.banMu.RUnlock()
	if !ok {
		return sleepTime
	}
	d := time.Duration(eob-j.now().UnixNano()) + time.Nanosecond
	return max(min(d, sleepTime), 0)
}

func (j *Jail) shutdown(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), j.opts.ActionTimeout)
	defer cancel()
	j.banBatch(ctx, j.dequeue()) // tickets queued before the stop
	j.actMu.Lock()
	j.flush(ctx)
	j.actMu.Unlock()
	if err := j.opts.Actions.Stop(ctx); err != nil {
		j.log.Error("stopping actions failed", logKeyErr, err)
	}
}

// Stop cancels Run and waits for it to finish its cleanup, or for ctx.
// Stopping a jail that is not running is a no-op.
func (j *Jail) Stop(ctx context.Context) error {
	j.runMu.Lock()
	cancel, done := j.cancel, j.done
	j.runMu.Unlock()
	if done == nil {
		return nil
	}
	cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
