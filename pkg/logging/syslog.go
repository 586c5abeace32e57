package logging

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
)

// syslog facilities by the names fail2ban accepts (LOG_<NAME>).
var facilities = map[string]int{
	"KERN": 0, "USER": 1, "MAIL": 2, "DAEMON": 3, "AUTH": 4, "SYSLOG": 5, "LPR": 6, "NEWS": 7,
	"UUCP": 8, "CRON": 9, "AUTHPRIV": 10, "FTP": 11, "NTP": 12, "SECURITY": 13, "CONSOLE": 14,
	"SOLARIS-CRON": 15, "LOCAL0": 16, "LOCAL1": 17, "LOCAL2": 18, "LOCAL3": 19, "LOCAL4": 20,
	"LOCAL5": 21, "LOCAL6": 22, "LOCAL7": 23,
}

// severity maps a level to a syslog severity as Python's SysLogHandler
// does through its level-name map; names it does not know (MSG, TRACE,
// HEAVY) become "warning" there, and so here.
func severity(l slog.Level) int {
	switch LevelName(l) {
	case "DEBUG":
		return 7
	case "INFO":
		return 6
	case "NOTICE":
		return 5
	case "WARNING":
		return 4
	case "ERROR":
		return 3
	case "CRITICAL":
		return 2
	}
	return 4
}

func (t *Target) openSyslog(socket string) error {
	if socket == "" || socket == "auto" {
		socket = DefaultSyslogSocket
	}
	// An unknown facility falls back to DAEMON, as in fail2ban.
	t.facility = facilities["DAEMON"]
	if f, ok := facilities[strings.ToUpper(t.opts["facility"])]; ok {
		t.facility = f
	}
	st, err := os.Stat(socket)
	if err != nil || st.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("syslog socket file %q does not exist or is not a socket", socket)
	}
	conn, err := net.Dial("unixgram", socket)
	if err != nil {
		if conn, err = net.Dial("unix", socket); err != nil {
			return fmt.Errorf("connect to syslog socket %q: %w", socket, err)
		}
	}
	t.conn = conn
	return nil
}

// writeSyslog sends "<PRI>line\x00" as Python's SysLogHandler does: no
// timestamp or host header; the syslog daemon adds them.
func (t *Target) writeSyslog(e *entry) error {
	f := e.fields()
	t.mu.Lock()
	defer t.mu.Unlock()
	b := append(t.line[:0], '<')
	b = strconv.AppendInt(b, int64(t.facility<<3|severity(e.level)), 10)
	b = append(b, '>')
	b = t.format.appendTo(b, &f)
	b = append(b, 0)
	_, err := t.conn.Write(b)
	t.keepLine(b)
	return err
}
