// Package regextest is the fail2ban-regex replacement: it parses
// fail2ban-regex's command line (fail2ban/client/fail2banregex.py), runs a
// filter over a literal line, a log file or the systemd journal with the
// tester's semantics (every failregex tried, no time window, lines that are
// empty or start with '#' skipped) and prints the same report, the same
// -o/--out failure output and the same exit codes.
//
// The matching itself is pkg/filter's and the dates are pkg/datedetect's,
// so the tester judges a filter exactly as f2b-server would run it. The
// package only adds the bookkeeping fail2ban-regex does around them:
// per-regex hit counters, matched/ignored/missed lists, the date template
// table and the text layout. It lives apart from cmd/f2b-client so that it
// can be tested and benchmarked without the command tree.
package regextest
