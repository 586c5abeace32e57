package action

import (
	"net/netip"
	"time"
)

// Ticket is the ban information an action renders into per-ticket commands
// (fail2ban's ActionInfo). It is a plain value filled in by the jail.
type Ticket struct {
	// IP is the banned address; the zero Addr for a non-IP failure id.
	IP netip.Addr
	// ID is the failure id (<fid>); empty means IP.String().
	ID string
	// Failures is the ticket's failure count (<failures>), not the retry count.
	Failures int
	// Time is the ban start, i.e. the last failure (<time>).
	Time time.Time
	// BanTime is the effective ban duration (<bantime>); negative means
	// permanent and renders as -1.
	BanTime time.Duration
	// BanCount is <bancount>.
	BanCount int
	// Matches are the log lines that caused the ban (<matches>).
	Matches []string
	// Data holds filter captures keyed by lower-case group name ("user",
	// "fport"); <F-USER> reads Data["user"].
	Data map[string]string
	// Restored marks a ban restored from the database (<restored>).
	Restored bool
	// IPMatches and IPJailMatches are the database matches of this IP over
	// all jails / this jail; nil falls back to Matches.
	IPMatches, IPJailMatches []string
	// IPFailures and IPJailFailures are the database failure sums; zero
	// falls back to Failures.
	IPFailures, IPJailFailures int
	// Extra supplies further dynamic tags such as "ip-host",
	// "jail.banned", "jail.found_total"; values are escaped like any other.
	Extra map[string]string
}
