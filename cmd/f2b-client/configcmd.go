package main

import (
	"bufio"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/f2b/f2b/internal/sysmon"
	"github.com/f2b/f2b/pkg/config"
)

// configMemoryLimit bounds the heap of a -d/-t run, whose collector is
// off: far above the stock tree's ~4 MB of allocations.
const configMemoryLimit = 256 << 20

// configCommand handles -d, --dp and -t. done is true when the client
// must exit afterwards (no command words follow a successful test, or a
// dump was requested).
func (f *flags) configCommand(cmd *cobra.Command, args []string) (done bool, err error) {
	// Reading a tree allocates ~4 MB of short-lived garbage in a process
	// that exits right after: collecting it costs more than it saves, so
	// the collector only runs if the heap nears a limit a huge tree could
	// reach.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(configMemoryLimit)
	// The load keeps both cores busy for ~10ms; the runtime's monitor,
	// waking every 20µs meanwhile, would preempt the threads doing it.
	// Where it cannot be demoted the load is only slower.
	_ = sysmon.Demote()
	// The warnings of a load (one per jail without log files on a host
	// that runs few services) go out in one write, not one each.
	logs := bufio.NewWriter(cmd.ErrOrStderr())
	c, _ := config.Load(config.Options{Dir: f.conf, Logger: f.logger(logs), Main: f.mainOptions()})
	if err := logs.Flush(); err != nil {
		return true, err
	}
	out := cmd.OutOrStdout()
	if errors.Is(c.Fatal(), config.ErrNoBaseDir) {
		// fail2ban-client reports this before reading anything.
		fmt.Fprintf(out, "ERROR: Base configuration directory %s does not exist \n", c.Dir())
		return true, &exitError{code: exitFailure}
	}
	if f.dump || f.dumpPretty {
		if c.Stream() == nil {
			fmt.Fprintln(out, "ERROR: The configuration stream failed because of the invalid syntax.")
		} else if err := config.Dump(out, c.Stream(), f.dumpPretty && !f.dump); err != nil {
			return true, err
		}
		if !f.test {
			if !c.DumpOK() {
				reportErrors(cmd, c)
				return true, &exitError{code: exitFailure}
			}
			return true, nil
		}
	}
	if !c.TestOK() {
		reportErrors(cmd, c)
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR: test configuration failed")
		return true, &exitError{code: exitFailure}
	}
	// Problems fail2ban-client lets pass (bad time strings, include
	// cycles) still deserve a line.
	for _, e := range c.Errors() {
		fmt.Fprintln(cmd.ErrOrStderr(), "WARNING:", e.Error())
	}
	if len(args) == 0 {
		fmt.Fprintln(out, "OK: configuration test is successful")
		return true, nil
	}
	return false, nil
}

func reportErrors(cmd *cobra.Command, c *config.Config) {
	w := cmd.ErrOrStderr()
	if err := c.Fatal(); err != nil {
		fmt.Fprintln(w, "ERROR:", err)
	}
	for _, e := range c.Errors() {
		fmt.Fprintln(w, e.Error())
	}
}

// mainOptions are the early options given on the command line; they
// replace fail2ban.conf's values in the stream.
func (f *flags) mainOptions() map[string]string {
	m := map[string]string{}
	for k, v := range map[string]string{"socket": f.socket, "pidfile": f.pidfile,
		"loglevel": f.loglevel, "logtarget": f.logtarget, "syslogsocket": f.syslogsocket} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}
