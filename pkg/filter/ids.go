package filter

import (
	"context"
	"net/netip"
	"slices"
	"time"

	"github.com/f2b/f2b/pkg/ipaddr"
	"github.com/f2b/f2b/pkg/tags"
)

// inlineTags is how many tags a failure holds without an allocation of
// their own (php-api has one, sshd's sessions four or five).
const inlineTags = 6

// oneFailure holds the common outcome of a line, one failure of one
// line with its tags, in a single allocation instead of three.
type oneFailure struct {
	fail [1]Failure
	line [1]string
	tags [inlineTags]tags.Tag
}

// tagBuf returns the empty tag list to build a failure's Data in: the
// inline array of one, or nil (append allocates).
func (one *oneFailure) tagBuf() tags.List {
	if one == nil {
		return nil
	}
	return one.tags[:0]
}

// report turns merged groups (the filter's scratch list, see merge) into
// failures (the tail of fail2ban's findFailure): mlfid sessions, then the
// failure id.
func (f *Filter) report(idx int, g tags.List, matched []line, res *Result) {
	mlfid, hasMLF := g.Get("mlfid")
	one, lines := f.failureLines(matched, res.Failures == nil, hasMLF)
	var d *failData
	if hasMLF {
		d = f.mergeSession(mlfid, g, lines)
		if v, _ := d.groups.Get("nofail"); v != "" {
			res.NoFail++
			return
		}
	} else {
		d = &failData{groups: g, matches: lines} // stays on the stack
	}
	who, ok := f.identify(&mergedGroups{g: d.groups, list: true})
	if !ok {
		d.pending = true
		res.Pending++
		return
	}
	if who.hasIP {
		d.groups = d.groups.Set("ip", who.ip)
	}
	nofail, _ := d.groups.Get("nofail")
	f.emit(idx, who, d, tags.AppendSorted(one.tagBuf(), d.groups), nofail != "", hasMLF, one, res)
}

// reportMatch is report for the common case, straight from the matches:
// no mlfid session and no alt_/tuple_ groups. It reads the id groups
// from the matches and builds the failure's Data list from them,
// instead of merging maps and looking the ids up in them. ok false
// means the case is not simple: call report with merge's map.
func (f *Filter) reportMatch(idx int, pre, m *Match, matched []line, res *Result) (ok bool) {
	src, simple := f.matchGroups(idx, pre, m)
	if !simple {
		return false
	}
	if _, hasMLF := src.group(gMLFID); hasMLF {
		return false
	}
	one, lines := f.failureLines(matched, res.Failures == nil, false)
	who, found := f.identify(&src)
	if !found {
		res.Pending++
		return true
	}
	d := failData{matches: lines}
	nofail, _ := src.group(gNoFail)
	f.emit(idx, who, &d, src.appendData(one.tagBuf(), who), nofail != "", false, one, res)
	return true
}

// reportForgotten is report for a match that would end an mlfid
// session the cache does not hold (<F-MLFFORGET>) and is nofail
// (<F-NOFAIL> or <F-MLFGAINED>), as most of sshd's disconnect and
// accepted lines are: mergeSession then keeps nothing, and report only
// counts the line as NoFail, so neither the merged map nor the lines are
// built. ok false means the case is not this one: call report.
func (f *Filter) reportForgotten(idx int, pre, m *Match, res *Result) (ok bool) {
	src, simple := f.matchGroups(idx, pre, m)
	if !simple {
		return false
	}
	id, hasMLF := src.group(gMLFID)
	if !hasMLF {
		return false
	}
	if forget, _ := src.group(gMLFForget); forget == "" {
		return false
	}
	gained, _ := src.group(gMLFGained)
	nofail, _ := src.group(gNoFail)
	if gained == "" && nofail == "" || f.sessions.get(id) != nil {
		return false
	}
	res.NoFail++
	return true
}

// matchGroups reads the merged groups straight from failregex idx's match
// m and the prefregex's pre (nil: none); simple false when merge's map is
// needed instead (alt_/tuple_ groups, or a filter on the slow path).
func (f *Filter) matchGroups(idx int, pre, m *Match) (src mergedGroups, simple bool) {
	if f.slow || m.complex != nil || pre != nil && pre.complex != nil {
		return mergedGroups{}, false
	}
	src = mergedGroups{m: m, mIdx: &f.fail[idx].ids}
	if pre != nil {
		src.pre, src.preIdx = pre, &f.pref.ids
	}
	return src, true
}

// failureLines returns the slice for a failure's original lines; with
// single, one line and the failure itself share one allocation, which is
// f.spare, reused from line to line, when the caller recycles results.
// The lines of a match in an mlfid session (session) may stay with the
// session: when recycling, they get an allocation of their own.
func (f *Filter) failureLines(matched []line, single, session bool) (*oneFailure, []string) {
	var one *oneFailure
	var lines []string
	switch {
	case !single || len(matched) != 1:
		lines = make([]string, len(matched))
	case !f.recycle:
		one = new(oneFailure)
		lines = one.line[:]
	default:
		if f.spare == nil {
			f.spare = new(oneFailure)
		}
		one = f.spare
		lines = one.line[:]
		if session {
			lines = make([]string, 1)
		}
	}
	for i, l := range matched {
		lines[i] = l.orig()
	}
	return one, lines
}

// emit appends the failures of one identified match to res: one per
// address the id stands for (a host name may resolve to several). data
// is the failures' Data.
// A nofail match outside an mlfid session is still reported (and counted
// by fail2ban's server); the tester shows it as ignored.
func (f *Filter) emit(idx int, who ident, d *failData, data tags.List, nofail, hasMLF bool, one *oneFailure, res *Result) {
	if nofail {
		res.NoFail++
	}
	data = slices.Clip(data)
	if one != nil && who.id != (ipaddr.Addr{}) {
		// the common case: one failure, built in place
		one.fail[0] = Failure{ID: who.id, Host: who.host, Time: res.Time, Matches: d.matches,
			Data: data, Users: d.users, FailRegexIndex: idx, NoFail: nofail}
		if hasMLF {
			// see below
			one.fail[0].Matches, one.fail[0].Users = slices.Clip(d.matches), slices.Clip(d.users)
		}
		res.Failures = one.fail[:]
		return
	}
	ids := []ipaddr.Addr{who.id}
	if who.id == (ipaddr.Addr{}) {
		ids = f.resolve(who.host)
	}
	for _, id := range ids {
		fl := Failure{ID: id, Host: who.host, Time: res.Time, Matches: d.matches,
			Data: data, Users: d.users, FailRegexIndex: idx, NoFail: nofail}
		switch {
		case len(ids) > 1:
			// one copy per failure
			fl.Matches, fl.Data, fl.Users = slices.Clone(d.matches), slices.Clone(data), slices.Clone(d.users)
		case hasMLF:
			// The session's slices live on, shared read-only: the
			// session only ever appends to them, and the clipped slices
			// make an append by the caller copy.
			fl.Matches, fl.Users = slices.Clip(d.matches), slices.Clip(d.users)
		}
		if one != nil && len(ids) == 1 {
			one.fail[0] = fl
			res.Failures = one.fail[:]
			continue
		}
		res.Failures = append(res.Failures, fl)
	}
}

// idGroup is one of the groups report and identify read.
type idGroup uint8

const (
	gFID idGroup = iota
	gIP4
	gIP6
	gDNS
	gCIDR
	gMLFID
	gNoFail
	gMLFGained
	gMLFForget
	numIDGroups
)

var idGroupNames = [numIDGroups]string{"fid", "ip4", "ip6", "dns", "cidr", "mlfid", "nofail", "mlfgained", "mlfforget"}

// groupIndex holds, for each idGroup, its index in a regex's names (-1:
// none), so the hot path finds them without comparing names.
type groupIndex [numIDGroups]int8

func newGroupIndex(names []string) groupIndex {
	var x groupIndex
	for g, n := range idGroupNames {
		x[g] = int8(slices.Index(names, n))
	}
	return x
}

// mergedGroups reads the merged groups of a match: from merge's list
// when there is one (g, list), else from the matches themselves, as merge would for
// matches without alt_/tuple_ groups: a failregex group decides whenever
// the failregex has it (taking part or not), else the prefregex's.
// mIdx and preIdx are the groupIndex of the regexes that made m and pre.
// (A concrete type, not an interface: the hot path keeps it on the
// stack.)
type mergedGroups struct {
	g            tags.List
	list         bool
	pre, m       *Match
	preIdx, mIdx *groupIndex
}

// group returns a group's text; ok false when the group did not take part
// (or does not exist).
func (s *mergedGroups) group(id idGroup) (string, bool) {
	if s.list {
		return s.g.Get(idGroupNames[id])
	}
	if k := s.mIdx[id]; k >= 0 {
		return s.m.groupAt(int(k))
	}
	if s.pre == nil {
		return "", false
	}
	if k := s.preIdx[id]; k >= 0 {
		return s.pre.groupAt(int(k))
	}
	return "", false
}

// appendData appends the failure data to dst: what merge returns (the
// prefregex's groups, then the failregex's), plus identify's "ip", sorted
// by name as every failure's Data is.
func (s *mergedGroups) appendData(dst tags.List, who ident) tags.List {
	n := len(dst)
	dst = s.appendMerged(dst)
	if who.hasIP {
		dst = dst.Set("ip", who.ip)
	}
	dst[n:].Sort()
	return dst
}

// appendMerged appends what merge returns: the prefregex's groups, then
// the failregex's.
func (s *mergedGroups) appendMerged(dst tags.List) tags.List {
	if s.pre != nil {
		dst = s.pre.appendGroups(dst, true, s.m.names)
	}
	return s.m.appendGroups(dst, false, nil)
}

// appendGroups appends the groups of m that took part; for a prefregex
// match (pre), not content nor the names of its failregex (fail).
func (m *Match) appendGroups(dst tags.List, pre bool, fail []string) tags.List {
	for k, name := range m.names {
		if v, ok := m.groupAt(k); ok && !(pre && overlaid(name, fail)) {
			dst = append(dst, tags.Tag{Name: name, Value: v})
		}
	}
	return dst
}

// overlaid: a prefregex group that merge leaves out, content or one the
// failregex decides.
func overlaid(name string, fail []string) bool {
	return name == "content" || slices.Contains(fail, name)
}

// ident is identify's answer: the captured host/id text, the failure id
// (zero: resolve host) and, when an F-ID stands next to a different
// address, that address as data "ip".
type ident struct {
	host  string
	id    ipaddr.Addr
	ip    string
	hasIP bool
}

// identify picks the failure id: ip4, ip6 (with cidr), dns, else fid; ok
// false when the match has none.
func (f *Filter) identify(g *mergedGroups) (who ident, ok bool) {
	fid, hasFID := g.group(gFID)
	raw := f.o.UseDNS == UseDNSRaw
	if addr, ok4 := firstGroup(g, gIP4, gIP6); ok4 {
		if c, ok := g.group(gCIDR); ok && c != "" {
			addr += "/" + c
		}
		if !hasFID || fid == addr {
			return ident{host: addr, id: ipaddr.ParseID(addr)}, true
		}
		return ident{host: fid, id: f.fidAddr(fid, raw), ip: ipaddr.ParseID(addr).String(), hasIP: true}, true
	}
	if dns, ok := g.group(gDNS); ok {
		if raw {
			if !hasFID || fid == dns {
				return ident{host: dns, id: ipaddr.Raw(dns)}, true
			}
			return ident{host: fid, id: ipaddr.Raw(fid), ip: dns, hasIP: true}, true
		}
		return ident{host: dns}, true
	}
	if !hasFID {
		return ident{}, false
	}
	return ident{host: fid, id: f.fidAddr(fid, raw)}, true
}

func (f *Filter) fidAddr(fid string, raw bool) ipaddr.Addr {
	if raw {
		return ipaddr.Raw(fid)
	}
	return ipaddr.ParseID(fid)
}

func firstGroup(g *mergedGroups, ids ...idGroup) (string, bool) {
	for _, n := range ids {
		if v, ok := g.group(n); ok {
			return v, true
		}
	}
	return "", false
}

var plainIPRE = lazyRegexp(`(?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+`)

// resolve turns a captured host name into addresses (fail2ban's
// DNSUtils.textToIp): an address inside the text is taken as is; with
// usedns yes/warn the name is looked up.
func (f *Filter) resolve(host string) []ipaddr.Addr {
	if s := plainIPRE().FindString(host); s != "" {
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
