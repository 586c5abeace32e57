//go:build !linux

package loadgen

import (
	"context"
	"net"
	"time"
)

// netTransport is a net.Conn as a transport, where blockingConn is not
// available.
type netTransport struct{ net.Conn }

func (t netTransport) shutdown()    { t.Conn.Close() }
func (t netTransport) close() error { return t.Conn.Close() }

func dialTransport(ctx context.Context, socket string, _ time.Duration) (transport, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, err
	}
	return netTransport{c}, nil
}
