package main

import (
	"os"
	"path/filepath"
)

// Called as fail2ban-regex (a symlink or copy of f2b-client), the client
// is the regex tester: the arguments are handed to "regex" unchanged.
func init() {
	if len(os.Args) > 0 && filepath.Base(os.Args[0]) == "fail2ban-regex" {
		os.Args = append([]string{os.Args[0], "regex"}, os.Args[1:]...)
	}
}
