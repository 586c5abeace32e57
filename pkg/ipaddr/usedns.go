package ipaddr

import "strings"

// UseDNS is a jail's usedns policy (fail2ban jail option usedns).
type UseDNS string

// The usedns values fail2ban accepts.
const (
	UseDNSYes  UseDNS = "yes"  // resolve host names, count each address
	UseDNSWarn UseDNS = "warn" // as yes, and log a warning
	UseDNSNo   UseDNS = "no"   // <HOST> only matches addresses
	UseDNSRaw  UseDNS = "raw"  // host names are ids, nothing is resolved
)

// ParseUseDNS maps a value case-insensitively; anything unknown becomes
// UseDNSNo, which is what fail2ban does (it only logs the bad value).
func ParseUseDNS(s string) (UseDNS, bool) {
	switch v := UseDNS(strings.ToLower(s)); v {
	case UseDNSYes, UseDNSWarn, UseDNSNo, UseDNSRaw:
		return v, true
	case "true":
		return UseDNSYes, true
	case "false":
		return UseDNSNo, true
	}
	return UseDNSNo, false
}
