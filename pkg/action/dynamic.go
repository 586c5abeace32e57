package action

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// tagInfo answers phase-B (ticket) tags. A nil *Ticket is fail2ban's
// "empty ticket" used for start/stop/flush/check: empty id and matches,
// zero counters, the operated <family>, <time> = now and the jail's
// <bantime> when Options.BanTime is set.
type tagInfo struct {
	t       *Ticket
	family  string
	now     time.Time
	banTime func() time.Duration
	// familyOnly answers nothing but <family> (fail2ban's _getOperation).
	familyOnly bool
}

func (ti tagInfo) lookup(tag string) (string, bool) {
	t := ti.t
	if ti.familyOnly {
		if tag == "family" {
			return ti.family, true
		}
		return "", false
	}
	if t == nil {
		switch tag {
		case "ip", "fid", "ip-rev", "matches", "ipmatches", "ipjailmatches":
			return "", true
		case "failures", "bancount", "restored", "ipfailures", "ipjailfailures":
			return "0", true
		case "family":
			return ti.family, true
		case "time":
			return pyFloat(ti.now), true
		case "bantime":
			if ti.banTime != nil {
				return banSeconds(ti.banTime()), true
			}
		}
		return "", false
	}
	switch tag {
	case "ip":
		return t.id(), true
	case "family":
		return familyTag(t.IP), true
	case "ip-rev":
		return ipRev(t.IP), true
	case "fid":
		return t.id(), true
	case "failures":
		return strconv.Itoa(t.Failures), true
	case "time":
		return pyFloat(t.Time), true
	case "bantime":
		return banSeconds(t.BanTime), true
	case "bancount":
		return strconv.Itoa(t.BanCount), true
	case "matches":
		return strings.Join(t.Matches, "\n"), true
	case "restored":
		return boolDigit(t.Restored), true
	}
	return t.merged(tag)
}

// merged answers the database-merged tags and Extra.
func (t *Ticket) merged(tag string) (string, bool) {
	switch tag {
	case "ipmatches":
		return strings.Join(orMatches(t.IPMatches, t.Matches), "\n"), true
	case "ipjailmatches":
		return strings.Join(orMatches(t.IPJailMatches, t.Matches), "\n"), true
	case "ipfailures":
		return strconv.Itoa(orInt(t.IPFailures, t.Failures)), true
	case "ipjailfailures":
		return strconv.Itoa(orInt(t.IPJailFailures, t.Failures)), true
	}
	v, ok := t.Extra[tag]
	if !ok && tag == "ip-host" {
		return "None", true
	}
	return v, ok
}

func (t *Ticket) id() string {
	if t.ID != "" {
		return t.ID
	}
	if t.IP.IsValid() {
		return t.IP.Unmap().String()
	}
	return ""
}

// family returns "inet4"/"inet6", or "" for a non-IP id.
func (t *Ticket) family() string {
	switch {
	case !t.IP.IsValid():
		return ""
	case t.IP.Is4() || t.IP.Is4In6():
		return "inet4"
	}
	return "inet6"
}

func familyTag(ip netip.Addr) string {
	f := (&Ticket{IP: ip}).family()
	if f == "" {
		return "None"
	}
	return f
}

// ipRev renders the reversed address with a trailing dot, as fail2ban's
// getPTR(”): "77.2.0.192." or 32 reversed nibbles for IPv6.
func ipRev(ip netip.Addr) string {
	if !ip.IsValid() {
		return ""
	}
	ip = ip.Unmap()
	var parts []string
	if ip.Is4() {
		b := ip.As4()
		for i := 3; i >= 0; i-- {
			parts = append(parts, strconv.Itoa(int(b[i])))
		}
	} else {
		b := ip.As16()
		const hex = "0123456789abcdef"
		for i := 15; i >= 0; i-- {
			parts = append(parts, string(hex[b[i]&0xf]), string(hex[b[i]>>4]))
		}
	}
	return strings.Join(parts, ".") + "."
}

// pyFloat renders t as Python's str(time.time()): shortest round-trip
// digits, always with a fractional part.
func pyFloat(t time.Time) string {
	s := strconv.FormatFloat(float64(t.Unix())+float64(t.Nanosecond())/1e9, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func banSeconds(d time.Duration) string {
	if d < 0 {
		return "-1"
	}
	return strconv.FormatInt(int64(d/time.Second), 10)
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func orMatches(a, b []string) []string {
	if a == nil {
		return b
	}
	return a
}

func orInt(a, b int) int {
	if a == 0 {
		return b
	}
	return a
}

// mapTag2Opt maps an <F-NAME> tag to its ticket data key.
func mapTag2Opt(tag string) string {
	tag = strings.ToLower(tag)
	switch tag {
	case "id":
		return "fid"
	case "port":
		return "fport"
	}
	return tag
}

// isFTagName reports whether name is NAME of <F-NAME> ([A-Z0-9_-]+).
func isFTagName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// renderDynamic is phase B: a single, non-recursive pass inserting ticket
// values (escaped through positional variables), then <F-*> captures.
func (a *Action) renderDynamic(cmd string, ti tagInfo) Command {
	var sv shellVars
	cmd = subTags(cmd, func(tag string) (string, bool) {
		if v, ok := ti.lookup(tag); ok {
			return sv.escape(tag, v), true
		}
		return a.addRepl(tag)
	})
	if strings.Contains(cmd, "<F-") {
		cmd = subTags(cmd, func(tag string) (string, bool) {
			name, ok := strings.CutPrefix(tag, "F-")
			if !ok || !isFTagName(name) {
				return "", false
			}
			key := mapTag2Opt(name)
			var v string
			if ti.t != nil {
				v, ok = ti.t.Data[key]
			}
			if !ok {
				return "", true
			}
			return sv.escape("F_"+key, v), true
		})
	}
	return sv.build(cmd)
}
