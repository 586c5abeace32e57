package regextest

import (
	"io"
	"log/slog"
	"time"
)

// Version is the fail2ban version the tester reports for --version and -V.
const Version = "1.0.2"

// Env is what the tester needs from its process.
type Env struct {
	Stdout, Stderr io.Writer
	// Prog is the program name shown in the usage text.
	Prog string
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Now is the clock for year inference and mlfid sessions; nil = time.Now.
	Now func() time.Time
	// Local is the zone of dates without one; nil = time.Local.
	Local *time.Location
	// Elapsed measures the processing loop; nil = wall clock. Tests pin it
	// so that the "[processed in …]" line is stable.
	Elapsed func(start time.Time) time.Duration
	// Journal opens a systemd journal reader; nil means the journal is
	// unavailable in this build.
	Journal JournalOpener
}

func (e *Env) setDefaults() {
	if e.Prog == "" {
		e.Prog = "fail2ban-regex"
	}
	if e.Logger == nil {
		e.Logger = slog.New(slog.DiscardHandler)
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Local == nil {
		e.Local = time.Local
	}
	if e.Elapsed == nil {
		e.Elapsed = time.Since
	}
}
