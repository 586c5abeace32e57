package logging

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// fail2ban's levels as slog levels. The stdlib levels keep their values so
// that logger.Warn, Error, Info and Debug map to WARNING, ERROR, INFO and
// DEBUG.
const (
	LevelHeavy    slog.Level = -8 // HEAVYDEBUG, Python 5, printed "HEAVY"
	LevelTrace    slog.Level = -6 // TRACEDEBUG, Python 7, printed "TRACE"
	LevelDebug               = slog.LevelDebug
	LevelMsg      slog.Level = -1 // MSG, Python 18
	LevelInfo                = slog.LevelInfo
	LevelNotice   slog.Level = 2 // NOTICE, Python 25
	LevelWarning             = slog.LevelWarn
	LevelError               = slog.LevelError
	LevelCritical slog.Level = 12 // CRITICAL, Python 50
)

// levels lists the named levels in ascending order with their Python
// numbers and printed names.
var levels = []struct {
	slog slog.Level
	py   int
	name string
}{
	{LevelHeavy, 5, "HEAVY"},
	{LevelTrace, 7, "TRACE"},
	{LevelDebug, 10, "DEBUG"},
	{LevelMsg, 18, "MSG"},
	{LevelInfo, 20, "INFO"},
	{LevelNotice, 25, "NOTICE"},
	{LevelWarning, 30, "WARNING"},
	{LevelError, 40, "ERROR"},
	{LevelCritical, 50, "CRITICAL"},
}

// names accepted by ParseLevel (Python's logging attribute names).
var levelAliases = map[string]int{
	"CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARNING": 30, "WARN": 30, "NOTICE": 25,
	"INFO": 20, "MSG": 18, "DEBUG": 10, "TRACEDEBUG": 7, "HEAVYDEBUG": 5, "NOTSET": 0,
}

// ParseLevel reads a loglevel setting like fail2ban's str2LogLevel: a level
// name in any case (CRITICAL, FATAL, ERROR, WARNING, WARN, NOTICE, INFO,
// MSG, DEBUG, TRACEDEBUG, HEAVYDEBUG) or a decimal Python level number. It
// returns the slog threshold that passes exactly the records fail2ban's
// level would pass.
func ParseLevel(s string) (slog.Level, error) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && !strings.HasPrefix(s, "+") {
		return FromPy(n), nil
	}
	if n, ok := levelAliases[strings.ToUpper(s)]; ok {
		return FromPy(n), nil
	}
	return 0, fmt.Errorf("invalid log level %q", s)
}

// FromPy converts a Python level number to the slog threshold of the
// lowest named level at or above it.
func FromPy(n int) slog.Level {
	for _, l := range levels {
		if l.py >= n {
			return l.slog
		}
	}
	return LevelCritical + slog.Level(n-50)
}

// PyLevel converts a slog level to a Python level number; levels between
// the named ones are interpolated.
func PyLevel(l slog.Level) int {
	if l <= levels[0].slog {
		return max(0, levels[0].py-int(levels[0].slog-l))
	}
	for i := 1; i < len(levels); i++ {
		lo, hi := levels[i-1], levels[i]
		if l <= hi.slog {
			return lo.py + (hi.py-lo.py)*int(l-lo.slog)/int(hi.slog-lo.slog)
		}
	}
	last := levels[len(levels)-1]
	return last.py + int(l-last.slog)
}

// LevelName is %(levelname)s: the fail2ban name, "#NN-Lev." for other
// levels below 50 and "Level NN" above, as Python prints them.
func LevelName(l slog.Level) string {
	py := PyLevel(l)
	for _, x := range levels {
		if x.py == py {
			return x.name
		}
	}
	if py < 50 {
		return fmt.Sprintf("#%02d-Lev.", py)
	}
	return fmt.Sprintf("Level %d", py)
}
