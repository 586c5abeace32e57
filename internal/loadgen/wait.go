package loadgen

import (
	"context"
	"time"
)

// Wait polls the server with cmd until it answers (0, …) or ctx ends; it
// returns the last error seen. Servers apply their configuration after
// the socket is up, so `status <jail>` is the useful readiness probe.
func Wait(ctx context.Context, socket string, cmd []any) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := probe(ctx, socket, cmd)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-tick.C:
		}
	}
}

func probe(ctx context.Context, socket string, cmd []any) error {
	c, err := dial(ctx, socket, 0)
	if err != nil {
		return err
	}
	defer c.close()
	reply, err := c.exchange(cmd)
	if err != nil {
		return err
	}
	return CheckOK(reply)
}
