// Package backend provides the log sources of a jail: files followed with
// inotify (fail2ban's "pyinotify" and "auto" backends) or by stat polling
// ("polling"), and the systemd journal ("systemd").
//
// It mirrors fail2ban's server/filterpoll.py, server/filterpyinotify.py,
// server/filtersystemd.py and the FileContainer of server/filter.py: lines are
// emitted only once their newline has arrived, the position of a file is the
// offset of its next unread byte, and a file is identified by a hash of its
// first line (terminator included), which is what fail2ban stores in the
// "logs" table of its database so that a restarted server resumes where the
// previous one stopped. The column is called firstlinemd5, but under Python 3
// fail2ban's MD5 self-test (md5 of a str) raises and it falls back to SHA-1,
// so the stored value is a 40-digit hex SHA-1; TestHash_Python checks this
// against fail2ban itself.
//
// Unlike fail2ban, a file backend keeps the file open between reads so that a
// file rotated by rename is read to its end (including lines the writer adds
// before it reopens) before the new file is followed; copytruncate rotation
// (the size shrinks, or the first line changes) restarts reading at offset 0.
// A path that disappears stays monitored and is read from its start when it
// comes back (fail2ban's polling backend gives up after 50 failed stats).
// All inotify file backends of a process share one inotify instance
// (watch.go), where fail2ban gives each jail its own.
//
// Journal entries are read through go-systemd's sdjournal, which needs cgo
// and dlopens libsystemd at run time; without cgo NewJournal returns
// ErrNoJournal. The line text and time are built exactly as fail2ban builds
// them (TestJournal_Python compares with FilterSystemd on the same journal
// file). go-systemd cannot pass sd_journal_open flags or open namespaces:
// the default reader is LOCAL_ONLY, RUNTIME_ONLY reads /run/log/journal,
// CURRENT_USER and namespace are refused; a field with several values shows
// its last one.
//
// A full pass over the journal (the regex tester's) needs no libsystemd in
// the process: ReadJournalFiles reads the mapped files directly
// (JournalFileReader, journal_file.go, after systemd's documented file
// format) in libsystemd's order and with its match rules, and hands to
// journalctl (libsystemd's own reader, through its export format,
// journalctl.go) only entries with compressed data or files it does not
// understand; ReadJournalctl reads what is not a set of files (the system
// journal, a directory of machine directories). None of this needs cgo, so
// f2b-client is built without it. Following a live journal (Run) stays on
// libsystemd.
//
// It is a leaf package (standard library, fsnotify and go-systemd only) so
// that pkg/jail can drive it and pkg/server can configure it without either
// knowing how a log is read. Backends follow the RestartableStreamer contract:
// Run blocks until its context is cancelled, never closes the output channel
// and never retries internally; the jail supervises.
package backend
