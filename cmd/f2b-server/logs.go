package main

import (
	"log/slog"
	"sync"
	"time"

	"github.com/f2b/f2b/pkg/logging"
)

// logSetup owns the server's log output and lets the dispatcher change
// level and target at run time (set loglevel/logtarget, flushlogs). Lines
// are written in fail2ban's format by pkg/logging, so the stock recidive
// jail can read our own log file. Each component names its logger
// (pkg/server passes logging.Named loggers to the jails), so records are
// printed under fail2ban's module names as they come.
type logSetup struct {
	mu      sync.Mutex
	level   slog.LevelVar
	handler *logging.Handler
	logger  *slog.Logger
}

// targetOptions: a log file is written in batches at most 50 ms apart;
// under a flood of failures one write(2) per line was half the work of a
// `set <jail> attempt`, and readers (recidive) do not need the lines sooner.
var targetOptions = logging.TargetOptions{FlushDelay: 50 * time.Millisecond}

func newLogSetup(target, level string) (*logSetup, error) {
	l := &logSetup{}
	if err := l.SetLevel(level); err != nil {
		return nil, err
	}
	t, err := logging.OpenTarget(target, targetOptions)
	if err != nil {
		return nil, err
	}
	l.handler = logging.New(t, logging.Options{Level: &l.level})
	l.logger = slog.New(l.handler)
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
	t, err := logging.OpenTarget(target, targetOptions)
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
