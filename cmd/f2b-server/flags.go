package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/f2b/f2b/pkg/version"
)

// options are fail2ban-server's command-line options
// (fail2bancmdline.py, shared with the client).
type options struct {
	conf, socket, pidfile, pname      string
	loglevel, logtarget, syslogsocket string
	timeout, str2sec                  string
	dump, dumpPretty, test            bool
	force, background, foreground     bool
	async, help, shortVersion         bool
	version, interactive              bool
	verbose, quiet                    int
}

func parseFlags(args []string) (*options, []string, error) {
	o := &options{}
	fs := pflag.NewFlagSet("f2b-server", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SetInterspersed(false)
	fs.StringVarP(&o.conf, "conf", "c", "/etc/fail2ban", "configuration directory")
	fs.StringVarP(&o.socket, "socket", "s", "", "socket path")
	fs.StringVarP(&o.pidfile, "pidfile", "p", "", "pidfile path")
	fs.StringVar(&o.pname, "pname", "f2b-server", "process name")
	fs.StringVar(&o.loglevel, "loglevel", "", "logging level")
	fs.StringVar(&o.logtarget, "logtarget", "", "logging target")
	fs.StringVar(&o.syslogsocket, "syslogsocket", "", "syslog socket")
	fs.StringVar(&o.timeout, "timeout", "", "timeout")
	fs.StringVar(&o.str2sec, "str2sec", "", "convert a time abbreviation to seconds")
	fs.BoolVarP(&o.dump, "dump", "d", false, "dump configuration")
	fs.BoolVar(&o.dumpPretty, "dp", false, "dump configuration, pretty")
	fs.BoolVar(&o.dumpPretty, "dump-pretty", false, "dump configuration, pretty")
	fs.BoolVarP(&o.test, "test", "t", false, "test configuration")
	fs.BoolVarP(&o.interactive, "interactive", "i", false, "interactive")
	fs.BoolVarP(&o.force, "force", "x", false, "remove a stale socket")
	fs.BoolVarP(&o.background, "background", "b", false, "daemonize")
	fs.BoolVarP(&o.foreground, "foreground", "f", false, "stay in the foreground")
	fs.BoolVar(&o.async, "async", false, "wait to be configured over the socket")
	fs.BoolVarP(&o.help, "help", "h", false, "help")
	fs.BoolVarP(&o.shortVersion, "short-version", "V", false, "short version")
	fs.BoolVar(&o.version, "version", false, "version")
	fs.CountVarP(&o.verbose, "verbose", "v", "more verbose")
	fs.CountVarP(&o.quiet, "quiet", "q", "less verbose")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	return o, fs.Args(), nil
}

func shortVersion() string { return version.Fail2banVersion }

func longVersion() string {
	return fmt.Sprintf("f2b v%s (fail2ban v%s compatible)", version.Version, version.Fail2banVersion)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: f2b-server [OPTIONS]

f2b-server starts the server (fail2ban-server compatible); with other
arguments than "start" it behaves like f2b-client.

Options:
    -c, --conf <DIR>        configuration directory
    -s, --socket <FILE>     socket path
    -p, --pidfile <FILE>    pidfile path
    --pname <NAME>          name of the process (main thread)
    --loglevel <LEVEL>      logging level
    --logtarget <TARGET>    logging target (STDOUT, STDERR, SYSLOG, SYSTEMD-JOURNAL or a file)
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
