// Package datedetect finds and parses the timestamp of a log line the way
// fail2ban's date detector does (fail2ban/server/datedetector.py,
// datetemplate.py and strptime.py): strptime-like `datepattern` values with
// fail2ban's %Ex… extensions, the {^LN-BEG}, {DATE}, {EPOCH}, {LEPOCH},
// {UNB}, {NONE} and TAI64N specials, the 31 default templates in fail2ban's
// order, the hit-count reordering that decides which template wins, year
// inference and fixed-offset time zones (`logtimezone`).
//
// Like fail2ban (strptime.py builds it once at start-up), the years %ExY
// accepts come from the real clock (Options.YearClock), not from the
// injectable "now" used for year inference: with a fixed test "now" in 2005
// a 2026 process still reads dates of 2000-2029.
//
// The lines of a log share their date and minute for many lines, so a
// Detector remembers the minute of its last conversion (convCache: the
// strptime fields but the seconds, keyed on the template, the text of the
// groups read and the local day of now) and its zone period; each line
// then only adds its seconds and applies the zone and the now-relative
// guesses. The canonical ISO and syslog layouts skip the general candidate
// search of the hand-written matchers. When such a layout won the last
// line, the Detector also keeps that line's text up to the seconds
// (secondsMemo): a line repeating it needs neither the matcher nor the
// minute cache, only its seconds digits and what follows them checked.
//
// It is a leaf package (stdlib plus the regexp2 fallback engine) so that
// pkg/filter and the fail2ban-regex port share one implementation.
//
// Matching runs in three tiers, all giving Python's result:
//
//   - The anchored ISO 8601 and syslog default templates (the hot path of
//     {^LN-BEG} and ^{DATE}) have hand-written matchers; FuzzHandMatch
//     checks them against Go's regexp on the same relaxed regex.
//   - Every other template runs on Go's regexp with a relaxed form of the
//     Python regex: fail2ban's word-boundary look-arounds and
//     back-references are removed and checked in code afterwards. A relaxed
//     regex matches whenever the exact one does, and when its leftmost
//     match passes the checks it is the match Python's backtracking engine
//     returns.
//   - When a check fails, or the pattern needs look-arounds, conditionals
//     or other constructs RE2 lacks, the exact translation runs on regexp2
//     (slow, rare). The Epoch and TAI64N templates are matched by hand.
//
// Known differences from fail2ban 1.0.2, all in corners: fail2ban shares a
// template's raw hit counter between every detector of the process (jails
// using the same templates influence each other's tie-breaks; here each
// detector counts its own); fail2ban keeps `lastUsed` in real time while
// this package uses Options.Now; an unknown upper-case zone abbreviation
// (`ABC`) or `%I` with an unmatched optional `%p` makes fail2ban raise
// instead of returning no date, here it is "no date"; a zone offset written
// with non-ASCII digits is rejected; `%s`/`%r` in a pattern are rejected
// instead of producing fail2ban's garbage template.
package datedetect
