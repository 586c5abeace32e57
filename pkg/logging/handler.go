package logging

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// KeyName is the attribute that carries the logger name (%(name)s).
const KeyName = "logger"

// DefaultName is the logger name of records without KeyName.
const DefaultName = "fail2ban"

// Named returns l with the fail2ban logger name set, e.g.
// Named(l, "fail2ban.actions").
func Named(l *slog.Logger, name string) *slog.Logger { return l.With(KeyName, name) }

// Options configures New.
type Options struct {
	// Level is the threshold (a *slog.LevelVar lets `set loglevel` change
	// it); nil means INFO.
	Level slog.Leveler
	// PID is %(process)d; zero means os.Getpid().
	PID int
	// Location is the time zone of %(asctime)s; nil means time.Local.
	Location *time.Location
}

// core is shared by a Handler and all handlers derived from it, so that a
// new target applies everywhere at once.
type core struct {
	mu     sync.RWMutex
	target *Target
	level  slog.Leveler
	pid    int
	loc    *time.Location
}

// Handler is a slog.Handler writing fail2ban's log lines to a Target.
type Handler struct {
	c      *core
	name   string
	prefix string // group prefix for call-site attributes
}

// New returns a handler writing to t.
func New(t *Target, opts Options) *Handler {
	c := &core{target: t, level: opts.Level, pid: opts.PID, loc: opts.Location}
	if c.level == nil {
		c.level = LevelInfo
	}
	if c.pid == 0 {
		c.pid = os.Getpid()
	}
	if c.loc == nil {
		c.loc = time.Local
	}
	return &Handler{c: c, name: DefaultName}
}

// SetTarget switches every handler sharing this one's core to t and
// returns the previous target, which the caller closes.
func (h *Handler) SetTarget(t *Target) *Target {
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	old := h.c.target
	h.c.target = t
	return old
}

// Target returns the current target.
func (h *Handler) Target() *Target {
	h.c.mu.RLock()
	defer h.c.mu.RUnlock()
	return h.c.target
}

// Enabled reports whether level passes the threshold.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.c.level.Level()
}

// WithAttrs takes the logger name from KeyName; other context attributes
// are not printed (see the package comment).
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	h2 := *h
	for _, a := range attrs {
		if a.Key == KeyName && h.prefix == "" {
			h2.name = a.Value.String()
		}
	}
	return &h2
}

// WithGroup prefixes the keys of later call-site attributes.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix += name + "."
	return &h2
}

// Handle formats r and writes it to the target.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	e := entry{name: h.name, level: r.Level, msg: r.Message, pid: h.c.pid}
	if r.NumAttrs() > 0 {
		var b strings.Builder
		b.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == KeyName && h.prefix == "" {
				e.name = a.Value.String()
				return true
			}
			appendAttr(&b, h.prefix, a)
			return true
		})
		e.msg = b.String()
	}
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	e.time = t.In(h.c.loc)
	h.c.mu.RLock()
	target := h.c.target
	h.c.mu.RUnlock()
	return target.write(&e)
}

func appendAttr(b *strings.Builder, prefix string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return
	}
	if a.Value.Kind() == slog.KindGroup {
		for _, g := range a.Value.Group() {
			appendAttr(b, prefix+a.Key+".", g)
		}
		return
	}
	b.WriteByte(' ')
	b.WriteString(prefix)
	b.WriteString(a.Key)
	b.WriteByte('=')
	s := a.Value.String()
	if s == "" || strings.ContainsAny(s, " \t\n\"=") {
		s = strconv.Quote(s)
	}
	b.WriteString(s)
}

// entry is one record ready for a target.
type entry struct {
	time  time.Time
	name  string
	level slog.Level
	msg   string
	pid   int
}

func (e *entry) fields() fields {
	return fields{time: e.time, name: e.name, levelname: LevelName(e.level),
		message: e.msg, process: e.pid, levelno: PyLevel(e.level)}
}

// Log is l.Log(ctx, level, msg) without the call site: slog looks it up
// for every record (runtime.Callers, a quarter of a file line's cost) and
// fail2ban's formats never print it. It is for lines logged once per
// failure or per socket attempt.
func Log(ctx context.Context, l *slog.Logger, level slog.Level, msg string) {
	LogAt(ctx, l, level, time.Time{}, msg)
}

// LogAt is Log for a record of time at (now when at is zero), for a caller
// that has just read the clock: a socket attempt's failure time is its log
// line's time, and reading the clock costs about 100 ns on some VMs.
func LogAt(ctx context.Context, l *slog.Logger, level slog.Level, at time.Time, msg string) {
	if ctx == nil {
		ctx = context.Background()
	}
	h := l.Handler()
	if !h.Enabled(ctx, level) {
		return
	}
	if at.IsZero() {
		at = time.Now()
	}
	_ = h.Handle(ctx, slog.NewRecord(at, level, msg, 0))
}
