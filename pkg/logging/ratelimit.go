package logging

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// KeyRate names the rate-limit bucket of a record; records without it are
// limited per message text.
const KeyRate = "ratekey"

// RateOptions configures RateLimit.
type RateOptions struct {
	// Burst records per key pass at once; then one per Every.
	Burst int
	Every time.Duration
	// MaxKeys bounds the buckets kept (oldest dropped); 0 means 1024.
	MaxKeys int
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// RateLimit wraps h so that a noisy source — a flood of unmatched lines
// from a brute-force attack — cannot turn into log spam. Records whose
// level is NOTICE or above always pass: bans must be logged for recidive.
// When a key is allowed again after drops, its record notes how many were
// suppressed. Mark a call site with slog.String(KeyRate, "name").
func RateLimit(h slog.Handler, o RateOptions) slog.Handler {
	if o.Burst <= 0 {
		o.Burst = 1
	}
	if o.MaxKeys <= 0 {
		o.MaxKeys = 1024
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &rateHandler{next: h, lim: &limiter{opts: o, buckets: map[string]*bucket{}}}
}

type rateHandler struct {
	next slog.Handler
	lim  *limiter
}

func (r *rateHandler) Enabled(ctx context.Context, l slog.Level) bool { return r.next.Enabled(ctx, l) }

func (r *rateHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &rateHandler{next: r.next.WithAttrs(as), lim: r.lim}
}

func (r *rateHandler) WithGroup(name string) slog.Handler {
	return &rateHandler{next: r.next.WithGroup(name), lim: r.lim}
}

func (r *rateHandler) Handle(ctx context.Context, rec slog.Record) error {
	if rec.Level >= LevelNotice {
		return r.next.Handle(ctx, rec)
	}
	key := rec.Message
	var attrs []slog.Attr
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == KeyRate {
			key = a.Value.String()
		} else {
			attrs = append(attrs, a)
		}
		return true
	})
	ok, dropped := r.lim.allow(key)
	if !ok {
		return nil
	}
	out := slog.NewRecord(rec.Time, rec.Level, rec.Message, rec.PC)
	out.AddAttrs(attrs...)
	if dropped > 0 {
		out.Message += fmt.Sprintf(" (%d similar messages suppressed)", dropped)
	}
	return r.next.Handle(ctx, out)
}

// limiter is a set of token buckets by key.
type limiter struct {
	opts    RateOptions
	mu      sync.Mutex
	buckets map[string]*bucket
	order   []string // insertion order, for eviction
}

type bucket struct {
	tokens  float64
	last    time.Time
	dropped int
}

func (l *limiter) allow(key string) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.opts.Now()
	b, ok := l.buckets[key]
	if !ok {
		l.evict()
		b = &bucket{tokens: float64(l.opts.Burst), last: now}
		l.buckets[key] = b
		l.order = append(l.order, key)
	}
	if l.opts.Every > 0 {
		b.tokens = min(float64(l.opts.Burst), b.tokens+float64(now.Sub(b.last))/float64(l.opts.Every))
	}
	b.last = now
	if b.tokens < 1 {
		b.dropped++
		return false, 0
	}
	b.tokens--
	dropped := b.dropped
	b.dropped = 0
	return true, dropped
}

func (l *limiter) evict() {
	for len(l.buckets) >= l.opts.MaxKeys && len(l.order) > 0 {
		delete(l.buckets, l.order[0])
		l.order = l.order[1:]
	}
}
