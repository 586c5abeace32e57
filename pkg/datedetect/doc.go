// Package datedetect finds and parses the timestamp of a log line the way
// fail2ban's date detector does (fail2ban/server/datedetector.py,
// datetemplate.py and strptime.py): strptime-like `datepattern` values with
// fail2ban's %Ex… extensions, the {^LN-BEG}, {DATE}, {EPOCH}, {LEPOCH},
// {UNB}, {NONE} and TAI64N specials, the 31 default templates in fail2ban's
// order, the hit-count reordering that decides which template wins, year
// inference and fixed-offset time zones (`logtimezone`).
//
// It is a leaf package (stdlib plus the regexp2 fallback engine) so that
// pkg/filter and the fail2ban-regex port share one implementation.
//
// Templates are matched with Go's regexp on a relaxed form of the Python
// regex (word-boundary look-arounds and back-references removed); the
// removed conditions are checked in code, and only when such a check fails
// is the exact translation run on regexp2. A relaxed regex matches whenever
// the exact one does, and when its leftmost match passes the checks it is
// the match Python's backtracking engine returns, so the fast path never
// changes a result.
package datedetect
