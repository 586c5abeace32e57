package ipaddr

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
)

// Errors returned by Set.
var (
	ErrDuplicate = errors.New("already in the list")
	ErrNotInList = errors.New("not in list")
)

// Rule names why Set.Match matched, as fail2ban's "Ignore <ip> by <rule>".
type Rule string

// Match rules.
const (
	RuleNone Rule = ""
	RuleIP   Rule = "ip"
	RuleDNS  Rule = "dns"
)

// Set is an ignoreip list: single addresses in a hash set, subnets in one
// hash set per prefix length (a lookup costs one mask and one map probe
// per distinct length), host names resolved at match time. It is safe for
// concurrent use.
type Set struct {
	mu      sync.RWMutex
	singles map[netip.Addr]struct{}
	order   []netip.Addr // singles in insertion order
	nets    map[netip.Prefix]struct{}
	lens    []lenKey // distinct (family, bits) in nets
	multi   []Addr   // subnets and names in insertion order
	names   []string // host names to resolve
}

type lenKey struct {
	is4  bool
	bits int
}

// Add parses and adds one entry (fail2ban's addignoreip). Empty text is
// skipped silently; an exact duplicate returns ErrDuplicate.
func (s *Set) Add(entry string) error {
	if entry == "" {
		return nil
	}
	a, err := Parse(entry)
	if err != nil {
		return fmt.Errorf("ignoreip: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addLocked(a)
}

func (s *Set) addLocked(a Addr) error {
	if s.singles == nil {
		s.singles = make(map[netip.Addr]struct{})
		s.nets = make(map[netip.Prefix]struct{})
	}
	switch {
	case a.IsSingle():
		if _, ok := s.singles[a.IP()]; ok {
			return fmt.Errorf("ignoreip %q: %w", a, ErrDuplicate)
		}
		s.singles[a.IP()] = struct{}{}
		s.order = append(s.order, a.IP())
		return nil
	case slices.Contains(s.multi, a):
		return fmt.Errorf("ignoreip %q: %w", a, ErrDuplicate)
	case a.IsIP():
		s.nets[a.Prefix()] = struct{}{}
		if k := (lenKey{a.IP().Is4(), a.Prefix().Bits()}); !slices.Contains(s.lens, k) {
			s.lens = append(s.lens, k)
		}
	default:
		s.names = append(s.names, a.RawText())
	}
	s.multi = append(s.multi, a)
	return nil
}

// Remove deletes the entry whose normalised form equals entry's
// (fail2ban's delignoreip); absent → ErrNotInList.
func (s *Set) Remove(entry string) error {
	a, err := Parse(entry)
	if err != nil {
		return fmt.Errorf("ignoreip: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.IsSingle() {
		if _, ok := s.singles[a.IP()]; !ok {
			return fmt.Errorf("ignoreip %q: %w", entry, ErrNotInList)
		}
		delete(s.singles, a.IP())
		s.order = slices.DeleteFunc(s.order, func(x netip.Addr) bool { return x == a.IP() })
		return nil
	}
	i := slices.Index(s.multi, a)
	if i < 0 {
		return fmt.Errorf("ignoreip %q: %w", entry, ErrNotInList)
	}
	s.multi = slices.Delete(s.multi, i, i+1)
	s.rebuildLocked()
	return nil
}

func (s *Set) rebuildLocked() {
	clear(s.nets)
	s.lens, s.names = s.lens[:0], s.names[:0]
	multi := s.multi
	s.multi = nil
	for _, a := range multi {
		_ = s.addLocked(a)
	}
}

// Clear empties the set (reload clears ignoreip before re-adding).
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Reset the fields, not *s: that would also reset the held mutex.
	s.singles, s.order, s.nets, s.lens, s.multi, s.names = nil, nil, nil, nil, nil, nil
}

// List returns the entries as fail2ban's get ignoreip does: subnets and
// names in insertion order first, then single addresses (in insertion
// order; fail2ban's set order is unspecified).
func (s *Set) List() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.multi)+len(s.order))
	for _, a := range s.multi {
		out = append(out, a.String())
	}
	for _, ip := range s.order {
		out = append(out, ip.String())
	}
	return out
}

// Len returns the number of entries.
func (s *Set) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.multi) + len(s.order)
}

// Match reports whether ip is covered by an address or subnet (RuleIP)
// or by the addresses a listed host name resolves to (RuleDNS). r may be
// nil, then names match nothing. Use a Cache as r: names are resolved on
// every call that gets that far.
func (s *Set) Match(ctx context.Context, ip netip.Addr, r Resolver) Rule {
	ip = ip.Unmap()
	s.mu.RLock()
	rule := s.matchIPLocked(ip)
	var names []string
	if rule == RuleNone && len(s.names) > 0 {
		names = slices.Clone(s.names)
	}
	s.mu.RUnlock()
	if rule != RuleNone || r == nil {
		return rule
	}
	for _, n := range names {
		addrs, _ := r.LookupNetIP(ctx, "ip", n)
		if slices.Contains(addrs, ip) {
			return RuleDNS
		}
	}
	return RuleNone
}

func (s *Set) matchIPLocked(ip netip.Addr) Rule {
	if _, ok := s.singles[ip]; ok {
		return RuleIP
	}
	for _, k := range s.lens {
		if k.is4 != ip.Is4() {
			continue
		}
		if p, err := ip.Prefix(k.bits); err == nil {
			if _, ok := s.nets[p]; ok {
				return RuleIP
			}
		}
	}
	return RuleNone
}

// MatchText is Match for an id given as text; raw ids only match a
// listed name with the same text (case-insensitive).
func (s *Set) MatchText(ctx context.Context, id string, r Resolver) Rule {
	a := ParseID(id)
	if a.IsIP() {
		return s.Match(ctx, a.IP(), r)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, n := range s.names {
		if strings.EqualFold(n, id) {
			return RuleDNS
		}
	}
	return RuleNone
}
