package action

import (
	"log/slog"
	"sync/atomic"
	"time"
)

// DefaultTimeout is fail2ban's default command timeout (property `timeout`).
const DefaultTimeout = 60 * time.Second

// Prop is one action property as the config stream delivers it:
// ['multi-set', jail, 'action', name, [[Name, Value], …]]. Name may carry a
// conditional suffix such as "?family=inet6".
type Prop struct {
	Name  string
	Value string
}

// Options configures a command action.
type Options struct {
	// Jail and Name identify the action in log lines and errors.
	Jail string
	Name string
	// Props are the initial properties, applied in order through Set.
	Props []Prop
	// Runner executes rendered commands. Required.
	Runner Runner
	// Logger receives the action's log lines; nil discards them.
	Logger *slog.Logger
	// Timeout is the command timeout used until a `timeout` property is
	// set; zero means DefaultTimeout.
	Timeout time.Duration
	// AllowIPv6 reports whether IPv6 is usable; it decides whether an action
	// with conditional properties starts the inet6 family. Nil means true.
	AllowIPv6 func() bool
	// Hostname returns the fully qualified host name for <fq-hostname> and
	// <sh-hostname>. Nil means os.Hostname.
	Hostname func() string
	// Now is the clock for <time> of commands without a ticket. Nil means
	// time.Now.
	Now func() time.Time
	// BanTime returns the jail's bantime for <bantime> in commands without
	// a ticket (actionstart of ipset actions, …). Nil leaves the tag as is.
	BanTime func() time.Duration
	// BanEpoch is the jail-wide ban epoch shared by all actions of a jail;
	// a failed invariant check increments it (fail2ban's invalidateBanEpoch).
	// Nil gives the action a private counter.
	BanEpoch *atomic.Int64
}
