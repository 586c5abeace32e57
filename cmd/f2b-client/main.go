// Command f2b-client is the drop-in replacement for fail2ban-client: it
// reads the configuration tree (-d, --dp, -t), converts time strings
// (--str2sec) and sends commands to f2b-server over its socket.
//
// A run lasts milliseconds, so GOMAXPROCS is neither fitted to a
// container's CPU quota nor refitted while it runs: the runtime would
// keep the cgroup files open and read them again on its monitor thread
// as the run starts (4% of a -d run of the stock tree, 7% of -V).
//
//go:debug containermaxprocs=0
//go:debug updatemaxprocs=0
package main

import "os"

func main() {
	stop := startProfile(os.Stderr)
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
