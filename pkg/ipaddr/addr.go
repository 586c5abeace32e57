package ipaddr

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Addr is one fail2ban IPAddr value: a single IP, a subnet or a raw id.
// The zero value is the empty raw id.
type Addr struct {
	pfx netip.Prefix // valid for IP values; Bits() == BitLen() for singles
	raw string       // text of a non-IP value
}

// ErrBadPrefix reports a malformed "/plen" or "/mask" suffix.
var ErrBadPrefix = errors.New("invalid prefix")

// Parse parses s like fail2ban's IPAddr constructor. Text that is not an
// IP address (host names, "1.2.3", ids with spaces) is kept verbatim as a
// raw value and is not an error; only an IP followed by a malformed
// "/suffix" fails.
func Parse(s string) (Addr, error) {
	if ip, ok := parseQuad(s); ok {
		// the common case, a failure id straight from a log line
		return Addr{pfx: netip.PrefixFrom(ip, 32)}, nil
	}
	host, suffix, hasSuffix := strings.Cut(s, "/")
	host = trimBrackets(host)
	ip, err := netip.ParseAddr(host)
	if err != nil || ip.Zone() != "" {
		return Addr{raw: s}, nil
	}
	bits := ip.BitLen()
	if hasSuffix {
		bits, err = parseSuffix(suffix, ip.BitLen())
		if err != nil {
			return Addr{}, fmt.Errorf("parsing %q: %w", s, err)
		}
	}
	if ip.Is4In6() && bits == 128 {
		ip, bits = ip.Unmap(), 32
	}
	pfx, err := ip.Prefix(bits)
	if err != nil {
		return Addr{}, fmt.Errorf("parsing %q: %w", s, ErrBadPrefix)
	}
	return Addr{pfx: pfx}, nil
}

// parseQuad parses a plain dotted quad ("192.0.2.1": four decimal
// numbers up to 255, without leading zeros) by hand, as netip.ParseAddr
// would; ok false leaves every other text, valid or not, to it.
func parseQuad(s string) (ip netip.Addr, ok bool) {
	var b [4]byte
	for f := range b {
		if f > 0 {
			if s == "" || s[0] != '.' {
				return netip.Addr{}, false
			}
			s = s[1:]
		}
		i, n := 0, 0
		for ; i < len(s) && i < 3 && '0' <= s[i] && s[i] <= '9'; i++ {
			n = n*10 + int(s[i]-'0')
		}
		if i == 0 || n > 255 || i > 1 && s[0] == '0' {
			return netip.Addr{}, false
		}
		b[f], s = byte(n), s[i:]
	}
	if s != "" {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4(b), true
}

// ParseID parses a failure id: like Parse, but a malformed suffix makes the
// whole text a raw id instead of an error.
func ParseID(s string) Addr {
	a, err := Parse(s)
	if err != nil {
		return Addr{raw: s}
	}
	return a
}

// FromIP wraps a single address, unmapping IPv4-mapped IPv6.
func FromIP(ip netip.Addr) Addr {
	ip = ip.Unmap().WithZone("")
	return Addr{pfx: netip.PrefixFrom(ip, ip.BitLen())}
}

// From4 is the single IPv4 address b, as Parse returns it for its
// dotted-quad text.
func From4(b [4]byte) Addr { return Addr{pfx: netip.PrefixFrom(netip.AddrFrom4(b), 32)} }

// Raw wraps a non-IP id verbatim.
func Raw(s string) Addr { return Addr{raw: s} }

func trimBrackets(s string) string {
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		return s[1 : len(s)-1]
	}
	return s
}

// parseSuffix accepts a prefix length (surrounding spaces allowed, as
// Python's int() does) or a dotted IPv4 mask with contiguous bits. Lengths
// below 0 or above the address size mean a single address, as in fail2ban.
func parseSuffix(s string, full int) (int, error) {
	t := strings.TrimSpace(s)
	if m, err := netip.ParseAddr(t); err == nil && m.Is4() {
		return maskBits(m)
	}
	n, err := strconv.Atoi(t)
	if err != nil {
		return 0, ErrBadPrefix
	}
	if n < 0 || n > full {
		return full, nil
	}
	return n, nil
}

func maskBits(m netip.Addr) (int, error) {
	b := m.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	n := 0
	for v&0x80000000 != 0 {
		v <<= 1
		n++
	}
	if v != 0 {
		return 0, fmt.Errorf("mask %q: %w", m, ErrBadPrefix)
	}
	return n, nil
}

// IsIP reports whether a holds an address or subnet (fail2ban's isValid).
func (a Addr) IsIP() bool { return a.pfx.IsValid() }

// IsSingle reports whether a is one address (not a subnet, not raw).
func (a Addr) IsSingle() bool { return a.pfx.IsValid() && a.pfx.IsSingleIP() }

// IP returns the (masked) address; the zero Addr for raw values.
func (a Addr) IP() netip.Addr { return a.pfx.Addr() }

// Prefix returns the subnet; invalid for raw values.
func (a Addr) Prefix() netip.Prefix { return a.pfx }

// Family returns fail2ban's action family of a: "inet4", "inet6", or ""
// for raw ids.
func (a Addr) Family() string {
	switch {
	case !a.pfx.IsValid():
		return ""
	case a.pfx.Addr().Is4():
		return "inet4"
	}
	return "inet6"
}

// RawText returns the text of a raw value ("" for IP values).
func (a Addr) RawText() string { return a.raw }

// Contains reports whether ip lies in a (equal for a single address).
// A raw a contains nothing; host names are resolved by Set, not here.
func (a Addr) Contains(ip netip.Addr) bool {
	return a.pfx.IsValid() && a.pfx.Contains(ip.Unmap())
}

// String prints a like fail2ban's ntoa: "/plen" only for a real subnet
// (a zero-length prefix prints as the bare network address, as fail2ban
// does), raw ids verbatim.
func (a Addr) String() string {
	if !a.pfx.IsValid() {
		return a.raw
	}
	if a.pfx.IsSingleIP() || a.pfx.Bits() == 0 {
		return a.pfx.Addr().String()
	}
	return a.pfx.String()
}
