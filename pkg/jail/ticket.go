package jail

import (
	"math"
	"net/netip"
	"time"

	"github.com/f2b/f2b/pkg/ipaddr"
	"github.com/f2b/f2b/pkg/tags"
)

// Permanent is the ban time of a ban that never ends (bantime = -1). Any
// negative ban time means permanent; it is -1 s so that storing it in
// whole seconds gives fail2ban's -1.
const Permanent = -time.Second

// permanentEOB sorts permanent bans after every timed one, as fail2ban's
// end of ban 0x7FFFFFFFFFFF does.
const permanentEOB = int64(math.MaxInt64)

// Failure is one failure for an id, as the filter reports it.
type Failure struct {
	IP      netip.Addr // the failing address, if the id is one
	ID      string     // raw F-ID when the id is not an IP
	Time    time.Time  // time of the log line
	Matches []string   // matched line(s)
	// Tags are the captured groups (F-USER, …), may be nil. The jail
	// copies what it keeps of Tags and Matches: the caller may reuse
	// them once AddFailure returns.
	Tags tags.List
}

// Ticket is a ban (or, inside the fail manager, a pending failure) of one
// id, as fail2ban's BanTicket.
type Ticket struct {
	IP       netip.Addr    // valid when the id is an address
	ID       string        // raw id when IP is not valid
	Time     time.Time     // ban start: time of the last failure, or of banip/attempt
	BanTime  time.Duration // effective ban time; 0 = the jail's; negative = permanent
	BanCount int           // number of bans of this id, this one included
	Failures int           // fail2ban's data "failures" (<failures> tag)
	Matches  []string      // matches, newest last
	Tags     tags.List     // captured groups
	Restored bool          // restored from the database at jail start
}

// String returns the id as fail2ban prints it.
func (t Ticket) String() string { return idString(t.IP, t.ID) }

// Permanent reports whether the ban never ends.
func (t Ticket) Permanent() bool { return t.BanTime < 0 }

// End returns the end of the ban; the zero Time for permanent bans.
func (t Ticket) End() time.Time {
	if t.BanTime < 0 {
		return time.Time{}
	}
	return t.Time.Add(t.BanTime)
}

func idString(ip netip.Addr, id string) string {
	if ip.IsValid() {
		return ipaddr.FromIP(ip).String()
	}
	return id
}

// key identifies an id in the fail and ban lists. The address is unmapped
// so ::ffff:1.2.3.4 and 1.2.3.4 are the same id.
type key struct {
	ip netip.Addr
	id string
}

func makeKey(ip netip.Addr, id string) key {
	if ip.IsValid() {
		return key{ip: ip.Unmap().WithZone("")}
	}
	return parseTarget(id)
}

// parseTarget turns an id given as text into a key.
// A subnet id is normalised (192.0.2.5/24 → 192.0.2.0/24).
func parseTarget(s string) key {
	a := ipaddr.ParseID(s)
	if a.IsSingle() {
		return key{ip: a.IP()}
	}
	return key{id: a.String()}
}
