// Package logging renders f2b's log/slog records the way fail2ban writes
// its log, so that tools reading fail2ban's log keep working — above all the
// stock "recidive" jail, whose filter matches
// "fail2ban.actions [pid]: NOTICE  [jail] Ban <ip>" lines.
//
// It mirrors fail2ban/helpers.py (getVerbosityFormat: the
// "%(asctime)s %(name)-24s[%(process)d]: %(levelname)-7s %(message)s"
// layout and its padding/datetime switches), fail2ban/__init__.py (the
// NOTICE, MSG, TRACE and HEAVY levels and "#NN-Lev." names) and
// Server.setLogTarget in fail2ban/server/server.py (the STDOUT, STDERR,
// SYSOUT, SYSLOG, SYSTEMD-JOURNAL and file targets with their
// [format=, datetime=, padding=, facility=] options).
//
// The logger name (%(name)s, e.g. "fail2ban.actions") comes from the
// KeyName attribute, normally set once per component with Named. Other
// attributes attached with Logger.With are context and are not printed —
// fail2ban's messages are complete sentences and parsers anchor on their
// ends; attributes passed with the call itself are appended as key=value.
//
// The package depends on the standard library only, so that cmd/f2b-server
// and pkg/server can share it.
package logging
