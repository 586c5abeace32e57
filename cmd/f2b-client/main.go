// Command f2b-client is the drop-in replacement for fail2ban-client: it
// reads the configuration tree (-d, --dp, -t), converts time strings
// (--str2sec) and sends commands to f2b-server over its socket.
package main

import "os"

func main() {
	stop := startProfile(os.Stderr)
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
