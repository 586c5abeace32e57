package logging

import (
	"log/slog"
	"testing"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    slog.Level
		wantErr bool
	}{
		{name: "info", in: "INFO", want: LevelInfo},
		{name: "lower case", in: "notice", want: LevelNotice},
		{name: "warn alias", in: "WARN", want: LevelWarning},
		{name: "fatal alias", in: "fatal", want: LevelCritical},
		{name: "msg", in: "MSG", want: LevelMsg},
		{name: "tracedebug", in: "TRACEDEBUG", want: LevelTrace},
		{name: "heavydebug", in: "HeavyDebug", want: LevelHeavy},
		{name: "number named", in: "25", want: LevelNotice},
		{name: "number between passes next named", in: "9", want: LevelDebug},
		{name: "zero passes all", in: "0", want: LevelHeavy},
		{name: "invalid", in: "LOUD", wantErr: true},
		{name: "trace is only a print name", in: "TRACE", wantErr: true},
		{name: "negative", in: "-1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLevel(tt.in)
			if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
				t.Errorf("ParseLevel(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestLevelName(t *testing.T) {
	tests := []struct {
		name   string
		in     slog.Level
		want   string
		wantPy int
	}{
		{name: "notice", in: LevelNotice, want: "NOTICE", wantPy: 25},
		{name: "stdlib warn", in: slog.LevelWarn, want: "WARNING", wantPy: 30},
		{name: "stdlib debug", in: slog.LevelDebug, want: "DEBUG", wantPy: 10},
		{name: "trace", in: LevelTrace, want: "TRACE", wantPy: 7},
		{name: "heavy", in: LevelHeavy, want: "HEAVY", wantPy: 5},
		{name: "below heavy", in: LevelHeavy - 2, want: "#03-Lev.", wantPy: 3},
		{name: "between info and notice", in: 1, want: "#22-Lev.", wantPy: 22},
		{name: "above critical", in: LevelCritical + 3, want: "Level 53", wantPy: 53},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LevelName(tt.in); got != tt.want {
				t.Errorf("LevelName(%d) = %q, want %q", tt.in, got, tt.want)
			}
			if got := PyLevel(tt.in); got != tt.wantPy {
				t.Errorf("PyLevel(%d) = %d, want %d", tt.in, got, tt.wantPy)
			}
		})
	}
}
