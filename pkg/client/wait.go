package client

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// WaitOptions configure Wait.
type WaitOptions struct {
	// Client options for each ping; Timeout is replaced by the ping
	// interval, as fail2ban-client does.
	Client Options
	// Alive is the state to wait for: true waits until the server answers,
	// false until it stops answering.
	Alive bool
	// Sleep waits between attempts; nil means a timer honouring ctx.
	// Tests inject their own.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now reads the clock; nil means time.Now.
	Now func() time.Time
}

// Ping reports whether a server answers ['ping'] on the socket within
// timeout. It is how fail2ban-client checks liveness.
func Ping(ctx context.Context, opts Options, timeout time.Duration) bool {
	opts.Timeout = timeout
	c, err := Dial(ctx, opts)
	if err != nil {
		return false
	}
	defer c.Close()
	v, err := c.Send(ctx, []any{"ping", timeout.Seconds()})
	return err == nil && v == "pong"
}

// Wait polls until the server is up (or down, with Alive false): the socket
// file exists and answers a ping. Like fail2ban-client it starts with a
// 6.25 ms interval and doubles it, capped at 0.1 s during the first 0.2 s
// and 0.5 s afterwards. The deadline comes from ctx.
func Wait(ctx context.Context, opts WaitOptions) error {
	sleep, now := opts.Sleep, opts.Now
	if sleep == nil {
		sleep = sleepCtx
	}
	if now == nil {
		now = time.Now
	}
	start, interval := now(), 6250*time.Microsecond
	for {
		if alive(ctx, opts.Client, interval) == opts.Alive {
			return nil
		}
		interval = nextInterval(interval, now().Sub(start))
		if err := sleep(ctx, interval); err != nil {
			return fmt.Errorf("waiting for server on %s: %w", opts.Client.Socket, err)
		}
	}
}

func alive(ctx context.Context, opts Options, timeout time.Duration) bool {
	sock := opts.Socket
	if sock == "" {
		sock = DefaultSocket
	}
	if _, err := os.Stat(sock); errors.Is(err, os.ErrNotExist) {
		return false
	}
	return Ping(ctx, opts, timeout)
}

// nextInterval doubles the polling interval up to fail2ban's caps.
func nextInterval(prev, elapsed time.Duration) time.Duration {
	limit := 100 * time.Millisecond
	if elapsed > 200*time.Millisecond {
		limit = 500 * time.Millisecond
	}
	return min(2*prev, limit)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
