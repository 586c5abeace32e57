// Package regextest is the fail2ban-regex replacement: it parses
// fail2ban-regex's command line (fail2ban/client/fail2banregex.py, 1.0.2),
// runs a filter over a literal line, a log file or the systemd journal with
// the tester's semantics (every failregex tried, no time window, lines that
// are empty or start with '#' skipped) and prints the same report, the same
// -o/--out failure output and the same exit codes.
//
// The matching itself is pkg/filter's and the dates are pkg/datedetect's,
// so the tester judges a filter exactly as f2b-server would run it. The
// package only adds the bookkeeping fail2ban-regex does around them:
// per-regex hit counters, matched/ignored/missed lists, the date template
// table and the text layout. It lives apart from cmd/f2b-client so that it
// can be tested and benchmarked without the command tree; the journal
// reader is injected (Env.Journal) so that the package needs no cgo.
//
// Known differences from fail2ban-regex 1.0.2:
//   - -v lists an mlfid session's nofail/pending steps with the address
//     found in that line; fail2ban takes it from the merged session data,
//     which differs when a session mixes IPv4 and IPv6 addresses.
//   - --verbose-date prints the template names but not their weights and
//     regexes; -l/-t/--full-traceback are accepted, but fail2ban's own log
//     records are not reproduced (the default level, critical, prints none).
//   - The filter's ignoreregexes stay active next to a literal IGNOREREGEX
//     as in 1.0.2, but where 1.0.2 crashes (IndexError) f2b counts the
//     literal's hits only.
//   - Python's exception texts in compile and datepattern errors come from
//     our engines; the first line of such an error is identical.
//   - With -o row, Python's set ordering of 'users' is hash-dependent; f2b
//     prints users in the order seen.
package regextest
