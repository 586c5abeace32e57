package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// Extension points for the parts of the client written elsewhere.
var (
	// subcommands are cobra subcommands added to the root (for example
	// "regex", the fail2ban-regex equivalent). Each file that adds one
	// appends its constructor from an init function.
	subcommands []func() *cobra.Command

	// regexDateHook, when set, handles "-d" followed by further words
	// (the regex tester's DATEPATTERN LINE REGEX form). A bare -d always
	// dumps the configuration.
	regexDateHook func(cmd *cobra.Command, f *flags, args []string) error

	// sendHook sends the command words to the server and prints the reply
	// (pkg/client); it returns an *exitError for non-zero statuses. It also
	// owns "start", "restart", "reload" and -i.
	sendHook func(cmd *cobra.Command, f *flags, args []string) error
)

// runCommand sends the command words to the server.
func runCommand(cmd *cobra.Command, f *flags, args []string) error {
	if sendHook == nil {
		// TODO(client): wire pkg/client here (socket from -s or fail2ban.conf).
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR: talking to the server is not implemented in this build")
		return &exitError{code: exitFailure}
	}
	return sendHook(cmd, f, args)
}
