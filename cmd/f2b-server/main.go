// Command f2b-server is the drop-in replacement for fail2ban-server. It
// reads an unchanged /etc/fail2ban tree, applies the resulting command
// stream through the same dispatcher that serves the socket, and then
// watches logs and bans until it is stopped.
//
// With arguments other than "start" it behaves like f2b-client, as
// fail2ban-server does.
package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run returns the process exit status.
func run(args []string) int {
	o, rest, err := parseFlags(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		usage(os.Stdout)
		return 255
	}
	switch {
	case o.help:
		usage(os.Stdout)
		return 0
	case o.shortVersion:
		fmt.Println(shortVersion())
		return 0
	case o.version:
		fmt.Println(longVersion())
		return 0
	}
	if o.dump || o.dumpPretty || o.test || o.str2sec != "" || (len(rest) > 0 && !(len(rest) == 1 && rest[0] == "start")) {
		return asClient(args)
	}
	return serve(o)
}
