package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.server, "server", "", "server binary (f2b-server or fail2ban-server)")
	flag.StringVar(&o.client, "client", "", "f2b-client binary used to query either server")
	flag.StringVar(&o.scenario, "scenario", "", "ingest, latency, idle or bans")
	flag.StringVar(&o.stock, "stock", "/etc/fail2ban", "stock configuration tree to copy")
	flag.IntVar(&o.lines, "lines", 100000, "ingest: lines appended")
	flag.IntVar(&o.count, "count", 50, "latency: bans measured; bans: bans held")
	flag.StringVar(&o.backend, "backend", "auto", "jail backend")
	flag.StringVar(&o.dbfile, "dbfile", ":memory:", "fail2ban.conf dbfile (None disables the database)")
	flag.DurationVar(&o.hold, "hold", 0, "idle: keep the server running this long after measuring (to inspect /proc/PID/smaps)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(1)
	}
}

type options struct {
	server, client, scenario, stock, backend string
	dbfile                                   string
	lines, count                             int
	hold                                     time.Duration
}

func run(o options) error {
	switch o.scenario {
	case "ingest":
		return ingest(o)
	case "latency":
		return latency(o)
	case "idle":
		return idle(o)
	case "bans":
		return bans(o)
	}
	return fmt.Errorf("unknown scenario %q", o.scenario)
}
