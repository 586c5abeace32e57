package filter

import (
	"context"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"time"

	"github.com/f2b/f2b/pkg/ipaddr"
)

// oneFailure holds the common outcome of a line, one failure of one
// line, in a single allocation instead of two.
type oneFailure struct {
	fail [1]Failure
	line [1]string
}

// report turns merged groups into failures (the tail of fail2ban's
// findFailure): mlfid sessions, then the failure id.
func (f *Filter) report(idx int, g map[string]string, matched []line, res *Result) {
	mlfid, hasMLF := g["mlfid"]
	var one *oneFailure
	var lines []string
	if len(matched) == 1 && !hasMLF && res.Failures == nil {
		one = new(oneFailure)
		lines = one.line[:]
	} else {
		lines = make([]string, len(matched))
	}
	for i, l := range matched {
		lines[i] = l.orig()
	}
	var d *failData
	if hasMLF {
		d = f.mergeSession(mlfid, &failData{groups: g}, lines)
		if d.groups["nofail"] != "" {
			res.NoFail++
			return
		}
	} else {
		d = &failData{groups: g, matches: lines} // stays on the stack
	}
	host, id, ok := f.identify(d.groups, hasMLF)
	if !ok {
		d.pending = true
		res.Pending++
		return
	}
	// A nofail match outside an mlfid session is still reported (and
	// counted by fail2ban's server); the tester shows it as ignored.
	nofail := d.groups["nofail"] != ""
	if nofail {
		res.NoFail++
	}
	ids := []ipaddr.Addr{id}
	if id == (ipaddr.Addr{}) {
		ids = f.resolve(host)
	}
	for _, id := range ids {
		fl := Failure{ID: id, Host: host, Time: res.Time, Matches: d.matches,
			Data: d.groups, Users: d.users, FailRegexIndex: idx, NoFail: nofail}
		if hasMLF || len(ids) > 1 {
			// session data lives on; callers get their own copy
			fl.Matches, fl.Data, fl.Users = slices.Clone(d.matches), maps.Clone(d.groups), slices.Clone(d.users)
		}
		if one != nil && len(ids) == 1 {
			one.fail[0] = fl
			res.Failures = one.fail[:]
			continue
		}
		res.Failures = append(res.Failures, fl)
	}
}

// identify picks the failure id: ip4, ip6 (with cidr), dns, else fid. A
// zero id with ok means "resolve host". An F-ID next to a different
// address keeps the address as data "ip".
func (f *Filter) identify(g map[string]string, hasMLF bool) (host string, id ipaddr.Addr, ok bool) {
	fid, hasFID := g["fid"]
	raw := f.o.UseDNS == UseDNSRaw
	if ip, ok4 := firstGroup(g, "ip4", "ip6"); ok4 {
		if c, ok := g["cidr"]; ok && c != "" {
			ip += "/" + c
		}
		if !hasFID || fid == ip {
			return ip, ipaddr.ParseID(ip), true
		}
		g["ip"] = ipaddr.ParseID(ip).String()
		return fid, f.fidAddr(fid, raw), true
	}
	if dns, ok := g["dns"]; ok {
		if raw {
			if !hasFID || fid == dns {
				return dns, ipaddr.Raw(dns), true
			}
			g["ip"] = dns
			return fid, ipaddr.Raw(fid), true
		}
		return dns, ipaddr.Addr{}, true
	}
	if !hasFID {
		return "", ipaddr.Addr{}, false
	}
	return fid, f.fidAddr(fid, raw), true
}

func (f *Filter) fidAddr(fid string, raw bool) ipaddr.Addr {
	if raw {
		return ipaddr.Raw(fid)
	}
	return ipaddr.ParseID(fid)
}

func firstGroup(g map[string]string, names ...string) (string, bool) {
	for _, n := range names {
		if v, ok := g[n]; ok {
			return v, true
		}
	}
	return "", false
}

var plainIPRE = regexp.MustCompile(`(?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+`)

// resolve turns a captured host name into addresses (fail2ban's
// DNSUtils.textToIp): an address inside the text is taken as is; with
// usedns yes/warn the name is looked up.
func (f *Filter) resolve(host string) []ipaddr.Addr {
	if s := plainIPRE.FindString(host); s != "" {
		if ip, err := netip.ParseAddr(s); err == nil {
			return []ipaddr.Addr{ipaddr.FromIP(ip)}
		}
	}
	if f.o.Resolver == nil || (f.o.UseDNS != UseDNSYes && f.o.UseDNS != UseDNSWarn) {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ips, err := f.o.Resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		f.log.Debug("cannot resolve host", "host", host, "err", err)
		return nil
	}
	out := make([]ipaddr.Addr, 0, len(ips))
	for _, ip := range ips {
		out = append(out, ipaddr.FromIP(ip))
	}
	if f.o.UseDNS == UseDNSWarn && len(out) > 0 {
		f.log.Warn("determined IP using DNS lookup", "host", host, "ips", ips)
	}
	return out
}
