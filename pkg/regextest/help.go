package regextest

import (
	"fmt"
	"io"
)

func usageLine(prog string) string {
	return prog + " [OPTIONS] <LOG> <REGEX> [IGNOREREGEX]"
}

// printHelp prints the usage and option summary (our own wording).
func printHelp(w io.Writer, prog string) {
	fmt.Fprintf(w, "Usage: %s\n", usageLine(prog))
	fmt.Fprint(w, `
Test a failregex (and optional ignoreregex) against a log line, a log
file or the systemd journal, the way fail2ban-regex does.

LOG:
  string                one log line (or several separated by newlines)
  filename              a log file, e.g. /var/log/auth.log
  systemd-journal       the systemd journal, optionally with backend
                        options: systemd-journal[journalflags=1]

REGEX:
  string                a failregex
  filter                a filter name, optionally with options:
                        sshd[mode=aggressive]
  filename              a filter file, e.g. filter.d/sshd.conf

IGNOREREGEX:
  string                an ignoreregex

Options:
  --version             print the version and exit
  -h, --help            print this help and exit
  -c CONFIG, --config=CONFIG
                        configuration directory (default /etc/fail2ban)
  -d DATEPATTERN, --datepattern=DATEPATTERN
                        date pattern to find the timestamp of each line
  --timezone=TIMEZONE, --TZ=TIMEZONE
                        time zone of dates that carry none
  -e ENCODING, --encoding=ENCODING
                        log file encoding (default: the locale's)
  -r, --raw             use captured hosts as they are, no DNS
  --usedns=USEDNS       how <HOST> is matched and resolved (yes, warn, no,
                        raw)
  -L MAXLINES, --maxlines=MAXLINES
                        lines buffered for multi-line regexes
  -m JOURNALMATCH, --journalmatch=JOURNALMATCH
                        journal matches (systemd-journal only)
  -l LOG_LEVEL, --log-level=LOG_LEVEL
                        level of the diagnostic log (default critical)
  -V                    print the short version and exit
  -v, --verbose         more detail (repeatable)
  --verbosity=VERBOSE   set the verbosity (0..4)
  --verbose-date, --VD  show the date templates in detail
  -D, --debuggex        print debuggex.com links for the listed lines
  --no-check-all        stop at the first matching failregex of a line
  -o OUT, --out=OUT     print failures only: row, id, ip, msg, a group name
                        or a template with tags such as '<ip> <F-USER>'
  --print-no-missed     do not list missed lines
  --print-no-ignored    do not list ignored lines
  --print-all-matched   list matched lines
  --print-all-missed    list every missed line
  --print-all-ignored   list every ignored line
  -t, --log-traceback   decorate log messages with tracebacks
  --full-traceback      full tracebacks instead of compressed ones
`)
}
