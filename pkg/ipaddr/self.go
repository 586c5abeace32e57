package ipaddr

import (
	"context"
	"net"
	"net/netip"
	"os"
	"slices"
)

// SelfOptions configures SelfAddrs; nil fields use the real host.
type SelfOptions struct {
	Resolver       Resolver                   // default net.DefaultResolver
	Hostname       func() (string, error)     // default os.Hostname
	InterfaceAddrs func() ([]net.Addr, error) // default net.InterfaceAddrs
	FQDN           func(host string) string   // default: none (only the short name is used)
}

// SelfAddrs returns the addresses ignoreself treats as "this host": every
// interface address plus what localhost, the host name and its FQDN
// resolve to (fail2ban 1.1; 1.0.2 only resolved the names). Lookup
// failures only shrink the result. The slice is sorted and deduplicated.
func SelfAddrs(ctx context.Context, opts SelfOptions) []netip.Addr {
	opts = selfDefaults(opts)
	var out []netip.Addr
	if ifs, err := opts.InterfaceAddrs(); err == nil {
		for _, a := range ifs {
			if p, err := netip.ParsePrefix(a.String()); err == nil {
				out = append(out, p.Addr().Unmap().WithZone(""))
			}
		}
	}
	names := []string{"localhost"}
	if h, err := opts.Hostname(); err == nil && h != "" {
		names = append(names, h)
		if f := opts.FQDN(h); f != "" && f != h {
			names = append(names, f)
		}
	}
	for _, n := range names {
		addrs, _ := opts.Resolver.LookupNetIP(ctx, "ip", n)
		for _, a := range addrs {
			out = append(out, a.Unmap().WithZone(""))
		}
	}
	slices.SortFunc(out, netip.Addr.Compare)
	return slices.Compact(out)
}

func selfDefaults(o SelfOptions) SelfOptions {
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.Hostname == nil {
		o.Hostname = os.Hostname
	}
	if o.InterfaceAddrs == nil {
		o.InterfaceAddrs = net.InterfaceAddrs
	}
	if o.FQDN == nil {
		o.FQDN = func(string) string { return "" }
	}
	return o
}
