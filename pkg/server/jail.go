package server

import (
	"net/netip"

	"context"
	"github.com/f2b/f2b/pkg/ipaddr"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/f2b/f2b/pkg/backend"
	"github.com/f2b/f2b/pkg/filter"
	"github.com/f2b/f2b/pkg/jail"
	"github.com/f2b/f2b/pkg/logging"
	"github.com/f2b/f2b/pkg/pyval"
)

// Jail is the server's view of one jail: the core ban logic (pkg/jail), the
// filter settings and compiled filter, the log backend and the actions. It
// is the only place where those packages meet.
type Jail struct {
	s           *Server
	name        string
	backendSpec string // as given to `add`, e.g. "polling" or "systemd[journalpath=…]"
	kind        string // backend actually used: polling, pyinotify, systemd
	log         *slog.Logger
	core        *jail.Jail
	actions     *actionList

	mu          sync.Mutex // guards the fields below
	fopts       filter.Options
	datepattern string
	logtimezone any // nil or str
	logencoding string
	ignorecmd   any // False until set
	ignorecache any // nil or [key, maxcount, maxtime]
	extraRaw    map[string]any
	files       *backend.Files
	journal     *backend.Journal
	running     bool
	cancel      context.CancelFunc
	done        chan struct{}
	reloading   bool
	keptPaths   map[string]bool
	keptActions map[string]bool

	filterGen atomic.Int64 // bumped whenever a filter setting changes

	posMu     sync.Mutex
	processed map[string]int64 // file -> offset past the last line handed to the core
	posDirty  bool             // processed changed since the last savePositions
}

func (s *Server) newJail(name, backendSpec string) (*Jail, error) {
	kind, bopts := parseBackend(backendSpec)
	j := &Jail{
		s:           s,
		name:        name,
		backendSpec: backendSpec,
		log:         logging.Named(s.log, "fail2ban.filter").With("jail", name),
		actions:     &actionList{},
		fopts:       filter.DefaultOptions(),
		logencoding: defaultEncoding(),
		ignorecmd:   false,
		processed:   map[string]int64{},
		extraRaw:    map[string]any{},
	}
	var st jail.Store
	if s.db != nil {
		st = storeAdapter{st: s.db, now: time.Now}
	}
	core, err := jail.New(jail.Options{
		Name:           name,
		Logger:         logging.Named(s.log, "fail2ban.actions"),
		FilterLogger:   logging.Named(s.log, "fail2ban.filter"),
		ObserverLogger: logging.Named(s.log, "fail2ban.observer"),
		Actions:        j.actions,
		Store:          st,
		Resolver:       s.resolver,
		IgnoreCommand:  shellIgnore{runner: s.runner()},
		Self: func(ctx context.Context) []netip.Addr {
			return ipaddr.SelfAddrs(ctx, ipaddr.SelfOptions{Resolver: s.resolver})
		},
	})
	if err != nil {
		return nil, err
	}
	j.core = core
	k, fellBack, err := backend.Select(kind)
	if err != nil {
		return nil, pyval.NewException("ValueError", err.Error())
	}
	if fellBack {
		logging.Named(j.log, "fail2ban.jail").Info("Could only initiated polling backend instead of " + pyval.Repr(kind))
	}
	j.kind = string(k)
	if k == backend.KindSystemd {
		jo, err := backend.ParseJournalOptions(bopts)
		if err != nil {
			return nil, errValue("%s", err.Error())
		}
		jo.Logger = j.log
		jr, err := backend.NewJournal(jo)
		if err != nil {
			return nil, errRuntime("Failed to initialize any backend for Jail %s: %v", pyval.Repr(name), err)
		}
		j.journal = jr
	} else {
		fs, err := backend.NewFiles(backend.FilesOptions{Mode: k.Mode(), Logger: j.log})
		if err != nil {
			return nil, err
		}
		j.files = fs
	}
	if s.db != nil {
		s.dbAddJail(name)
	}
	return j, nil
}

// parseBackend splits "systemd[journalpath=/x, journalflags=1]".
func parseBackend(spec string) (string, map[string]string) {
	name, rest, ok := strings.Cut(spec, "[")
	opts := map[string]string{}
	if !ok {
		return strings.TrimSpace(spec), opts
	}
	rest = strings.TrimSuffix(strings.TrimSpace(rest), "]")
	for _, kv := range splitArgs(rest) {
		k, v, _ := strings.Cut(kv, "=")
		opts[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return strings.TrimSpace(name), opts
}

// splitArgs splits on commas outside quotes.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	var q rune
	for _, r := range s {
		switch {
		case q != 0:
			if r == q {
				q = 0
			}
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			q = r
			cur.WriteRune(r)
		case r == ',':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}

func (j *Jail) setIdle(on bool) { j.core.SetIdle(on) }

// start launches the backend, the filter pipeline and the core's run loop.
func (j *Jail) start(ctx context.Context) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.running {
		return nil
	}
	// The jail outlives the request that started it.
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	lines := make(chan backend.Line, lineBuffer)
	done := make(chan struct{})
	backendDone := make(chan struct{})
	// core.Start registers the jail as running before it returns, so a
	// stop that follows at once still waits for actionstop.
	if err := j.core.Start(rctx); err != nil {
		cancel()
		return errRuntime("%s", err.Error())
	}
	go func() {
		defer close(backendDone)
		var err error
		if j.journal != nil {
			// Only entries newer than findtime matter, as in fail2ban.
			j.journal.SetStart(time.Now().Add(-j.core.FindTime()))
			err = j.journal.Run(rctx, lines)
		} else {
			err = j.files.Run(rctx, lines)
		}
		if err != nil {
			j.log.Error("backend stopped with error", "err", err)
		}
	}()
	// The pipeline's goroutine reports both done: a goroutine per jail
	// just to wait for the two would hold a stack for the jail's life.
	go func() {
		defer close(done)
		j.pipeline(rctx, lines)
		<-backendDone
	}()
	j.running, j.cancel, j.done = true, cancel, done
	return nil
}

// stop ends the jail: backends and pipeline stop, the core flushes its bans
// through the actions and runs actionstop.
func (j *Jail) stop(ctx context.Context) {
	j.mu.Lock()
	running, cancel, done := j.running, j.cancel, j.done
	j.running = false
	j.mu.Unlock()
	if !running {
		return
	}
	cancel()
	<-done
	if err := j.core.Stop(ctx); err != nil {
		j.log.Error("stopping jail", "err", err)
	}
	j.savePositions(true)
}

func (j *Jail) beginReload() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.reloading = true
	j.core.SetIdle(true)
	j.fopts.FailRegex = nil
	j.fopts.IgnoreRegex = nil
	j.core.IgnoreIP().Clear()
	j.keptPaths = map[string]bool{}
	j.keptActions = map[string]bool{}
	j.filterGen.Add(1)
}

func (j *Jail) endReload(ctx context.Context) {
	j.mu.Lock()
	j.reloading = false
	kept, keptAct := j.keptPaths, j.keptActions
	j.keptPaths, j.keptActions = nil, nil
	j.mu.Unlock()
	if j.files != nil {
		for _, p := range j.files.Paths() {
			if !kept[p] {
				j.files.RemovePath(p)
			}
		}
	}
	for _, a := range j.actions.snapshot() {
		if keptAct[a.Name()] {
			if err := a.Reload(ctx); err != nil {
				j.log.Error("action reload", "action", a.Name(), "err", err)
			}
			continue
		}
		// No longer configured: unban its tickets with it alone, then stop.
		for _, t := range j.core.Tickets() {
			a.Unban(ctx, actionTicket(t))
		}
		a.Stop(ctx)
		j.actions.remove(a.Name())
	}
	j.core.SetIdle(false)
}

// defaultEncoding is what `get <jail> logencoding` reports before any
// `set logencoding`: "auto" resolved to the locale's encoding.
func defaultEncoding() string {
	enc, err := backend.ResolveEncoding("auto")
	if err != nil {
		return "UTF-8"
	}
	return enc
}
