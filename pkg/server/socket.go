package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// ErrAlreadyRunning is returned by Listen when a live server answers on
// the socket path.
var ErrAlreadyRunning = errors.New("server already running")

// Listen opens the unix socket the way fail2ban does: the parent directory
// is created (0700), an existing socket file is refused unless force is set,
// and the socket is created 0600 so only its owner (root) can connect.
//
// A socket file that exists but that nothing answers on is stale; without
// force it is still refused, as fail2ban refuses it, because another server
// might be starting at this moment.
func Listen(path string, force bool) (*net.UnixListener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("socket directory: %w", err)
	}
	if _, err := os.Lstat(path); err == nil {
		if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
			c.Close()
			return nil, ErrAlreadyRunning
		}
		if !force {
			return nil, fmt.Errorf("socket %q exists (stale? use -x to remove it): %w", path, ErrAlreadyRunning)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("removing stale socket: %w", err)
		}
	}
	old := syscall.Umask(0o077)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	syscall.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("listen on %q: %w", path, err)
	}
	ln.SetUnlinkOnClose(true)
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// shutdownWriteGrace is how long replies may still take to be written once
// Serve's context has ended.
const shutdownWriteGrace = 2 * time.Second

// Serve accepts connections on ln until ctx is done, then closes ln and
// waits for the open connections to finish their current request. Each
// connection is served on its own goroutine, so one slow or hostile client
// never blocks the others.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	var wg sync.WaitGroup
	conns := make(map[net.Conn]struct{})
	var mu sync.Mutex
	stop := context.AfterFunc(ctx, func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			// Unblock readers; a request being executed finishes first
			// and its reply (that of `stop`, say) gets a grace period to
			// be written. Without the write deadline a peer that never
			// reads its replies would hold the shutdown forever.
			c.SetReadDeadline(time.Now())
			c.SetWriteDeadline(time.Now().Add(shutdownWriteGrace))
		}
		mu.Unlock()
	})
	defer stop()
	for {
		c, err := ln.Accept()
		if err != nil {
			wg.Wait()
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		mu.Lock()
		conns[c] = struct{}{}
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.serveConn(ctx, c)
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
		}()
	}
}
