package server

import (
	"net"

	"context"
	"github.com/f2b/f2b/pkg/action"
	"github.com/f2b/f2b/pkg/ipaddr"
	"github.com/f2b/f2b/pkg/store"
	"log/slog"
	"sort"
	"strconv"
	"sync"
)

// Options configures a Server. Zero values take fail2ban's defaults.
type Options struct {
	// Socket is the unix socket path (fail2ban.conf `socket`).
	Socket string
	// Pidfile is written at start and removed at exit; empty means none.
	Pidfile string
	// Force removes a stale socket file instead of refusing to start (-x).
	Force bool
	// Logger receives the server's own messages; nil discards them.
	Logger *slog.Logger
	// Logging, when set, is told about loglevel/logtarget changes and
	// flushlogs requests.
	Logging LogControl
	// Runner runs action commands; nil means /bin/sh.
	Runner Runner
	// OnStop is called once when a client sends `stop`; the caller cancels
	// the Run context from it.
	OnStop func()
}

// LogControl is what the dispatcher needs from the logging setup.
type LogControl interface {
	SetLevel(level string) error
	SetTarget(target string) error
	Reopen() (string, error) // "rolled over" or "flushed"
}

// Server holds the jails and applies commands to them. The zero value is
// not usable; call New.
type Server struct {
	opts Options
	log  *slog.Logger

	// mu guards the jail registry and the global settings. Commands that
	// only touch one jail's live state (attempt, status, get) take it for
	// reading, so many clients proceed at once; adding, removing and
	// reloading jails take it for writing.
	mu       sync.RWMutex
	jails    map[string]*Jail
	order    []string // creation order, for `banned`
	settings globalSettings
	reload   *reloadState

	// gate makes a reply-first attempt look atomic: the attempt holds it
	// for reading from before its reply is written until its bookkeeping
	// is done, and every Dispatch takes and drops it for writing before
	// it runs (see serveAttempt and barrier).
	gate sync.RWMutex

	stopOnce sync.Once

	db        *store.Store  // nil while no dbfile is set
	purgeStop chan struct{} // ends the purge goroutine of db

	resolver *ipaddr.Cache // shared DNS cache (ignoreip names, ignoreself)

	runnerOnce sync.Once
	shell      action.Runner
}

type globalSettings struct {
	loglevel     string
	logtarget    string
	syslogsocket string
	allowipv6    string
	dbfile       any // string or nil
	dbpurgeage   any // int64/float64 seconds
	dbmaxmatches any // int64
	threadStack  int64
}

// New returns a server with no jails.
func New(opts Options) *Server {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{
		resolver: ipaddr.NewCache(ipaddr.CacheOptions{Resolver: net.DefaultResolver}),
		opts:     opts,
		log:      log,
		jails:    make(map[string]*Jail),
		settings: globalSettings{
			loglevel:     "INFO",
			logtarget:    "STDERR",
			syslogsocket: "auto",
			allowipv6:    "auto",
			dbpurgeage:   int64(86400),
			dbmaxmatches: int64(10),
		},
	}
}

// jail returns the named jail or UnknownJailException.
func (s *Server) jail(name any) (*Jail, error) {
	n, ok := name.(string)
	if !ok {
		return nil, errUnknownJail(name)
	}
	j, ok := s.jails[n]
	if !ok {
		return nil, errUnknownJail(n)
	}
	return j, nil
}

func (s *Server) sortedNames() []string {
	names := make([]string, 0, len(s.jails))
	for n := range s.jails {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// Jails returns the names of the jails, sorted.
func (s *Server) Jails() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sortedNames()
}

// ctxDone reports whether ctx has ended.
func ctxDone(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}
