// Package persist tests what survives a restart of the daemon, end to end:
// log positions (no line counted twice or skipped across a restart or a
// rotation), restored bans with their remaining time and re-run actions
// (fail2ban's restoreCurrentBans and norestored), bantime.increment history
// across restarts, crash safety under kill -9, and migration of one
// fail2ban.sqlite3 between the real fail2ban-server and f2b-server in both
// directions. It mirrors fail2ban's database.py contract as seen from the
// outside, so it only drives the real binaries.
package persist
