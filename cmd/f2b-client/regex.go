package main

import (
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/f2b/f2b/pkg/regextest"
)

// The regex tester: "f2b-client regex [OPTIONS] LOG REGEX [IGNOREREGEX]",
// the same when the binary is called fail2ban-regex, and the seed's
// "f2b-client -d DATEPATTERN LOG REGEX [IGNOREREGEX]".
func init() {
	subcommands = append(subcommands, newRegexCmd)
	regexDateHook = func(cmd *cobra.Command, _ *flags, args []string) error {
		return runRegex(cmd, append([]string{"-d"}, args...))
	}
}

func newRegexCmd() *cobra.Command {
	return &cobra.Command{
		Use:                "regex [OPTIONS] <LOG> <REGEX> [IGNOREREGEX]",
		Short:              "test a filter against a log (fail2ban-regex compatible)",
		DisableFlagParsing: true,
		Args:               cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRegex(cmd, args)
		},
	}
}

func runRegex(cmd *cobra.Command, args []string) error {
	if os.Getenv("GOGC") == "" {
		// A run over a big log allocates per matched line and ends: a
		// collector running half as often saves ~5 % of its CPU for a few
		// MiB more peak memory (26 instead of 20 MiB on 200,000 sshd
		// lines, fail2ban-regex: 150 MiB).
		debug.SetGCPercent(200)
	}
	env := regextest.Env{
		Stdout:  cmd.OutOrStdout(),
		Stderr:  cmd.ErrOrStderr(),
		Prog:    regexProg(),
		Journal: readJournal,
	}
	if code := regextest.Main(cmd.Context(), args, env); code != 0 {
		return &exitError{code: code}
	}
	return nil
}

// regexProg is the program name the tester's usage shows.
func regexProg() string {
	if len(os.Args) > 0 && filepath.Base(os.Args[0]) == "fail2ban-regex" {
		return os.Args[0]
	}
	return "f2b-client regex"
}
