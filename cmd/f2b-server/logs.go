package main

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/f2b/f2b/pkg/logging"
)

// logSetup owns the server's log output and lets the dispatcher change
// level and target at run time (set loglevel/logtarget, flushlogs). Lines
// are written in fail2ban's format by pkg/logging, so the stock recidive
// jail can read our own log file.
type logSetup struct {
	mu      sync.Mutex
	level   slog.LevelVar
	handler *logging.Handler
	logger  *slog.Logger
}

func newLogSetup(target, level string) (*logSetup, error) {
	l := &logSetup{}
	if err := l.SetLevel(level); err != nil {
		return nil, err
	}
	t, err := logging.OpenTarget(target, logging.TargetOptions{})
	if err != nil {
		return nil, err
	}
	l.handler = logging.New(t, logging.Options{Level: &l.level})
	l.logger = slog.New(namer{next: l.handler})
	return l, nil
}

// SetLevel applies `set loglevel`: a fail2ban level name or number.
func (l *logSetup) SetLevel(level string) error {
	lv, err := logging.ParseLevel(level)
	if err != nil {
		return err
	}
	l.level.Set(lv)
	return nil
}

// SetTarget applies `set logtarget`: the new target is opened first, so a
// bad one leaves the old target in place.
func (l *logSetup) SetTarget(target string) error {
	t, err := logging.OpenTarget(target, logging.TargetOptions{})
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.handler.SetTarget(t).Close()
}

// Reopen is flushlogs (and SIGUSR1): a log file is reopened after
// logrotate moved it; streams have nothing to reopen.
func (l *logSetup) Reopen() (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.handler.Target()
	if t.Kind() != logging.KindFile {
		return "flushed", nil
	}
	if err := t.Reopen(); err != nil {
		return "", err
	}
	return "rolled over", nil
}

// Close closes the current target.
func (l *logSetup) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.handler.Target().Close()
}

// namer gives records that carry no logger name the fail2ban module name
// their message belongs to. pkg/server and pkg/jail log through one
// unnamed logger, while readers of fail2ban's log (above all the stock
// recidive filter, which anchors on "fail2ban.actions [pid]: NOTICE")
// need the names fail2ban uses.
type namer struct {
	next  slog.Handler
	named bool // a logger name was attached with With
}

func (n namer) Enabled(ctx context.Context, l slog.Level) bool { return n.next.Enabled(ctx, l) }

func (n namer) WithAttrs(as []slog.Attr) slog.Handler {
	named := n.named
	for _, a := range as {
		named = named || a.Key == logging.KeyName
	}
	return namer{next: n.next.WithAttrs(as), named: named}
}

func (n namer) WithGroup(g string) slog.Handler {
	return namer{next: n.next.WithGroup(g), named: n.named}
}

func (n namer) Handle(ctx context.Context, r slog.Record) error {
	if !n.named {
		if name := moduleOf(r.Message); name != "" {
			r = r.Clone()
			r.AddAttrs(slog.String(logging.KeyName, name))
		}
	}
	return n.next.Handle(ctx, r)
}

// moduleOf returns the fail2ban logger name of a "[jail] …" message, or ""
// when the message is not one of the jail messages fail2ban names.
func moduleOf(msg string) string {
	if !strings.HasPrefix(msg, "[") {
		return ""
	}
	i := strings.Index(msg, "] ")
	if i < 0 {
		return ""
	}
	rest := msg[i+2:]
	if strings.HasSuffix(rest, " already banned") {
		return "fail2ban.actions"
	}
	for _, m := range jailModules {
		if strings.HasPrefix(rest, m.prefix) {
			return m.name
		}
	}
	return ""
}

// jailModules maps the jail messages of spec §9 to their loggers.
var jailModules = []struct{ prefix, name string }{
	{"Ban ", "fail2ban.actions"},
	{"Unban ", "fail2ban.actions"},
	{"Restore Ban ", "fail2ban.actions"},
	{"Reban ", "fail2ban.actions"},
	{"Repeal Ban ", "fail2ban.actions"},
	{"Flush ticket", "fail2ban.actions"},
	{"Increase Ban ", "fail2ban.observer"},
	{"IP ", "fail2ban.observer"},
	{"Found ", "fail2ban.filter"},
	{"Attempt ", "fail2ban.filter"},
	{"Ignore ", "fail2ban.filter"},
}
