// Package store keeps f2b's persistent state in an SQLite file that uses
// fail2ban's own database layout (schema version 4: tables fail2banDb, jails,
// logs, bans and bips), so that a fail2ban.sqlite3 written by fail2ban can be
// opened by f2b and vice versa. It mirrors the behaviour of fail2ban's
// fail2ban/server/database.py: what is written on ban, unban, jail start and
// stop, the restore query, the ban-history lookups used by bantime.increment,
// and the hourly purge.
//
// The package is a leaf (database/sql plus the pure-Go modernc.org/sqlite
// driver) so that the jail and the server can share it without either
// importing the other.
//
// Writes go through one writer goroutine that groups queued operations into a
// single transaction (group commit), so a burst of bans costs one commit, not
// one per ban. AddBan only queues; Flush is the barrier after which every
// previously queued write is committed and survives a crash of the process.
// The file is kept in WAL mode with synchronous=NORMAL: a committed
// transaction survives kill -9 of the daemon; after a power loss the last
// transactions may be lost but the file stays consistent. fail2ban's Python
// reader still opens such a file (it switches it back to its own journal
// mode), which the tests check.
package store
