package main

import (
	"os"
	"path/filepath"
)

// Called as fail2ban-regex (a symlink or copy of f2b-client), the client
// is the regex tester: the arguments are handed to "regex" unchanged.
func init() {
	os.Args = regexArgv0(os.Args)
}

func regexArgv0(args []string) []string {
	if len(args) > 0 && filepath.Base(args[0]) == "fail2ban-regex" {
		return append([]string{args[0], "regex"}, args[1:]...)
	}
	return args
}
