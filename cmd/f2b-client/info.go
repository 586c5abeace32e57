package main

import (
	"fmt"
	"io"

	"github.com/f2b/f2b/pkg/config"
	"github.com/f2b/f2b/pkg/pyval"
	"github.com/f2b/f2b/pkg/version"
)

func str2sec(w io.Writer, s string) error {
	v, err := config.Str2SecondsValue(s)
	if err != nil {
		fmt.Fprintln(w, "ERROR:", err)
		return &exitError{code: exitFailure}
	}
	fmt.Fprintln(w, pyval.Repr(v))
	return nil
}

// printVersion prints fail2ban's version (-V, machine readable) or a
// banner naming both fail2ban's and f2b's versions (--version).
func printVersion(w io.Writer, short bool) {
	if short {
		fmt.Fprintln(w, version.Fail2banVersion)
		return
	}
	fmt.Fprintf(w, "Fail2Ban v%s (f2b %s)\n", version.Fail2banVersion, version.Version)
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: f2b-client [OPTIONS] <COMMAND>

f2b v`+version.Version+` (fail2ban `+version.Fail2banVersion+` compatible) reads log files that contain
password failure report and bans the corresponding IP addresses using firewall rules.

Options:
    -c, --conf <DIR>        configuration directory
    -s, --socket <FILE>     socket path
    -p, --pidfile <FILE>    pidfile path
    --pname <NAME>          name of the process (main thread) to identify instance (default fail2ban-server)
    --loglevel <LEVEL>      logging level
    --logtarget <TARGET>    logging target, use file-name or stdout, stderr, syslog or sysout.
    --syslogsocket auto|<FILE>
    -d                      dump configuration. For debugging
    --dp, --dump-pretty     dump the configuration using more human readable representation
    -t, --test              test configuration (can be also specified with start parameters)
    -i                      interactive mode
    -v                      increase verbosity
    -q                      decrease verbosity
    -x                      force execution of the server (remove socket file)
    -b                      start server in background (default)
    -f                      start server in foreground
    --async                 start server in async mode (for internal usage only, don't read configuration)
    --timeout               timeout to wait for the server (for internal usage only, don't read configuration)
    --str2sec <STRING>      convert time abbreviation format to seconds
    -h, --help              display this help message
    -V, --version           print the version (-V returns machine-readable short format)
`)
}
