// Package version holds the build's version string, stamped by the Makefile
// with -ldflags, so that both binaries and the socket's `version` command
// report the same value.
package version

// Version is the f2b release; the Makefile overrides it at link time.
var Version = "dev"

// Fail2banVersion is the fail2ban release whose behaviour f2b reproduces and
// which it reports where fail2ban's own tools expect fail2ban's version.
const Fail2banVersion = "1.0.2"
