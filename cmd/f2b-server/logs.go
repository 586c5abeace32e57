package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
)

// logSetup owns the server's log output and lets the dispatcher change
// level and target at run time (set loglevel/logtarget, flushlogs).
type logSetup struct {
	mu     sync.Mutex
	level  slog.LevelVar
	target string
	file   *os.File
	out    *swapWriter
	logger *slog.Logger
}

type swapWriter struct {
	mu sync.Mutex
	w  *os.File
}

func (s *swapWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func newLogSetup(target, level string) (*logSetup, error) {
	l := &logSetup{out: &swapWriter{w: os.Stderr}}
	if err := l.SetTarget(target); err != nil {
		return nil, err
	}
	if err := l.SetLevel(level); err != nil {
		return nil, err
	}
	l.logger = slog.New(slog.NewTextHandler(l.out, &slog.HandlerOptions{Level: &l.level}))
	return l, nil
}

func (l *logSetup) SetLevel(level string) error {
	switch strings.ToUpper(level) {
	case "CRITICAL", "FATAL", "ERROR":
		l.level.Set(slog.LevelError)
	case "WARNING", "WARN":
		l.level.Set(slog.LevelWarn)
	case "NOTICE", "INFO", "MSG":
		l.level.Set(slog.LevelInfo)
	case "DEBUG", "TRACEDEBUG", "HEAVYDEBUG":
		l.level.Set(slog.LevelDebug)
	default:
		return fmt.Errorf("invalid log level %q", level)
	}
	return nil
}

func (l *logSetup) SetTarget(target string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := target
	if i := strings.IndexByte(t, '['); i > 0 {
		t = t[:i]
	}
	var f *os.File
	switch strings.ToUpper(t) {
	case "STDOUT", "SYSOUT":
		f = os.Stdout
	case "STDERR", "SYSLOG", "SYSTEMD-JOURNAL":
		f = os.Stderr
	default:
		var err error
		f, err = os.OpenFile(t, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
	}
	if l.file != nil {
		l.file.Close()
		l.file = nil
	}
	if f != os.Stdout && f != os.Stderr {
		l.file = f
	}
	l.target = t
	l.out.mu.Lock()
	l.out.w = f
	l.out.mu.Unlock()
	return nil
}

func (l *logSetup) Reopen() (string, error) {
	l.mu.Lock()
	isFile, t := l.file != nil, l.target
	l.mu.Unlock()
	if !isFile {
		return "flushed", nil
	}
	if err := l.SetTarget(t); err != nil {
		return "", err
	}
	return "rolled over", nil
}

func (l *logSetup) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file != nil {
		l.file.Close()
	}
}
