package logging

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	type step struct {
		advance time.Duration
		level   slog.Level
		msg     string
		key     string
	}
	tests := []struct {
		name string
		in   []step
		want []string
	}{
		{name: "burst then drop then note", in: []step{
			{msg: "no match"}, {msg: "no match"}, {msg: "no match"}, {msg: "no match"},
			{advance: time.Second, msg: "no match"},
		}, want: []string{"no match", "no match", "no match (2 similar messages suppressed)"}},
		{name: "keys are separate", in: []step{
			{msg: "a 1", key: "a"}, {msg: "a 2", key: "a"}, {msg: "a 3", key: "a"}, {msg: "b 1", key: "b"},
		}, want: []string{"a 1", "a 2", "b 1"}},
		{name: "notice always passes", in: []step{
			{level: LevelNotice, msg: "[j] Ban x"}, {level: LevelNotice, msg: "[j] Ban x"}, {level: LevelNotice, msg: "[j] Ban x"},
		}, want: []string{"[j] Ban x", "[j] Ban x", "[j] Ban x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Unix(1700000000, 0)
			var out bytes.Buffer
			target, _ := OpenTarget("STDOUT[format=%(message)s]", TargetOptions{Stdout: &out})
			h := RateLimit(New(target, Options{}), RateOptions{Burst: 2, Every: time.Second, Now: func() time.Time { return now }})
			l := slog.New(h)
			for _, s := range tt.in {
				now = now.Add(s.advance)
				var args []any
				if s.key != "" {
					args = append(args, KeyRate, s.key)
				}
				l.Log(context.Background(), s.level, s.msg, args...)
			}
			got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRateLimit_EvictsKeys(t *testing.T) {
	l := &limiter{opts: RateOptions{Burst: 1, MaxKeys: 2, Now: time.Now}, buckets: map[string]*bucket{}}
	for _, k := range []string{"a", "b", "c", "d"} {
		l.allow(k)
	}
	if len(l.buckets) != 2 || l.buckets["d"] == nil || l.buckets["a"] != nil {
		t.Errorf("buckets = %v", l.buckets)
	}
}
