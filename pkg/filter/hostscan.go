package filter

// Scanners that accept exactly the texts fail2ban's address expansions
// match as a whole (tags.go), ASCII only. They serve the host matcher
// (hostmatch.go), which checks a run captured by its placeholder.

// ip4Start reports where the ip4 group starts when the IPv4 branch of the
// tag, an optional "::" "f"×4–6 ":" prefix then a dotted quad of 1–3
// digit numbers, matches t whole; -1 if it does not. The prefix is
// optional and greedy, so it is taken whenever the rest is a quad.
func ip4Start(t string) int {
	if p := ffffPrefix(t); p > 0 && isQuad(t[p:]) {
		return p
	}
	if isQuad(t) {
		return 0
	}
	return -1
}

// ffffPrefix returns the length of a leading "::" f{4,6} ":", or 0.
func ffffPrefix(t string) int {
	if len(t) < 7 || t[0] != ':' || t[1] != ':' {
		return 0
	}
	n := 0
	for n < 6 && 2+n < len(t) && t[2+n] == 'f' {
		n++
	}
	if n < 4 || 2+n >= len(t) || t[2+n] != ':' {
		return 0
	}
	return 3 + n
}

// isQuad: (?:\d{1,3}\.){3}\d{1,3} matches t whole.
func isQuad(t string) bool {
	parts, digits := 0, 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			if digits++; digits > 3 {
				return false
			}
		case c == '.' && digits > 0 && parts < 3:
			parts, digits = parts+1, 0
		default:
			return false
		}
	}
	return parts == 3 && digits > 0
}

// ip6Max is the longest text the IPv6 expansion can match: seven
// "hhhh::" units and a final "hhhh".
const ip6Max = 7*6 + 4

// isIP6: (?:H{1,4}::?|::){1,7}(?:H{1,4}|:) matches t whole (H a hex
// digit; the expansion's lookbehind before the final ":" always holds,
// every unit ends in ":"). reach[i] holds, as bits, the unit counts with
// which the units can end at offset i.
func isIP6(t string) bool {
	if len(t) < 2 || len(t) > ip6Max {
		return false
	}
	var reach [ip6Max + 1]uint8
	reach[0] = 1
	for i := 0; i < len(t); i++ {
		if reach[i] == 0 {
			continue
		}
		if reach[i]&^1 != 0 && ip6Tail(t[i:]) {
			return true
		}
		ip6Units(t, i, &reach, reach[i]<<1) // one more unit, at most 7
	}
	return false
}

// ip6Tail: the final part, H{1,4} or ":", is all of s.
func ip6Tail(s string) bool {
	if s == ":" {
		return true
	}
	return len(s) <= 4 && hexRun(s, 0) == len(s)
}

// ip6Units adds bits to reach at the offsets where a unit starting at i
// can end: after "::", or after 1–4 hex digits and ":" or "::".
func ip6Units(t string, i int, reach *[ip6Max + 1]uint8, bits uint8) {
	if i+1 < len(t) && t[i] == ':' && t[i+1] == ':' {
		reach[i+2] |= bits
	}
	h := hexRun(t, i)
	for k := 1; k <= min(h, 4); k++ {
		if j := i + k; j < len(t) && t[j] == ':' {
			reach[j+1] |= bits
			if j+1 < len(t) && t[j+1] == ':' {
				reach[j+2] |= bits
			}
		}
	}
}

// hexRun counts the hex digits of t from i.
func hexRun(t string, i int) int {
	n := 0
	for i+n < len(t) && isHex(t[i+n]) {
		n++
	}
	return n
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// isDNS: [\w\-.^_]*\w matches t whole (ASCII \w).
func isDNS(t string) bool {
	if t == "" || !isWord(t[len(t)-1]) {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; !isWord(c) && c != '-' && c != '.' && c != '^' {
			return false
		}
	}
	return true
}

func isWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
