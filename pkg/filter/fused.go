package filter

import (
	"slices"
	"strings"

	"github.com/f2b/f2b/pkg/ipaddr"
	"github.com/f2b/f2b/pkg/tags"
)

// The fused path is find for the commonest filter shape, the one of the
// bundled php-api filter and of most hand-written filters: no prefregex,
// no ignoreregex, single-line, and failregexes that each have a
// sequence walk (seqmatch.go) behind their host matcher (hostmatch.go)
// and capture the address as ip4/ip6 only. For those, the general path's
// work per line is mostly plumbing around one walk: picking candidate
// regexes, prefilters, placing the match in a reusable Match, checking
// which scratch buffer its text lives in, merging groups and looking the
// id groups up again. The fused path walks each failregex in order and
// builds the failure straight from the walk's offsets.
//
// It answers exactly what the general path answers, or nothing: whenever
// the general path would leave the host matcher (non-ASCII text, a run
// the address scanner rejects, a host name, a line with an inner
// newline), fusedFind returns false having touched only what the general
// path sets anew, and the general path handles the line.
// TestFusedEquivalent and FuzzFused hold the two to the same results.

// useFused reports whether the fused path applies to f's shape; the
// answer is kept until a mutator (mutate.go) calls reshaped.
func (f *Filter) useFused() bool {
	if f.fused == 0 {
		f.fused = -1
		if f.fusedOK() {
			f.fused = 1
		}
	}
	return f.fused > 0 && !f.slow
}

// reshaped forgets useFused's answer after a change of regexes or options.
func (f *Filter) reshaped() { f.fused = 0 }

// fusedOK reports whether the fused path applies to f's shape.
func (f *Filter) fusedOK() bool {
	if f.slow || f.pref != nil || len(f.ignore) > 0 || f.o.MaxLines > 1 || f.o.CheckAll || len(f.fail) == 0 {
		return false
	}
	for _, r := range f.fail {
		h := r.host
		if h == nil || h.seq == nil || r.noPrefilter || r.ascii == nil || r.complex != nil {
			return false
		}
		for g, k := range r.ids {
			if k >= 0 && idGroup(g) != gIP4 && idGroup(g) != gIP6 && idGroup(g) != gDNS {
				return false // fid, cidr, mlfid and nofail groups take the general path
			}
		}
		if h.run < 0 {
			return false
		}
	}
	return true
}

// fusedFind is find for a filter whose fusedOK holds; false means the
// line needs the general path (which sets the line buffer and the scratch
// text anew: nothing else has been changed then).
func (f *Filter) fusedFind(tl line, noDate bool, res *Result) bool {
	if noDate && res.Time.IsZero() {
		return false
	}
	f.one[0] = tl
	text := f.joinScratch(f.one[:])
	if !isASCII(text) {
		return false
	}
	for i, r := range f.fail {
		if r.dollar && r.bt != nil && innerNewline(text) {
			return false
		}
		h := r.host
		loc := f.sc.loc[:2*(h.seq.ncap+1)]
		for k := range loc {
			loc[k] = -1
		}
		if !h.seq.match(text, loc) {
			continue
		}
		a, b := loc[2*h.run], loc[2*h.run+1]
		if a < 0 {
			return false
		}
		var id ipaddr.Addr
		g, s, e := h.ip4, 0, b-a
		if q, shape, ok := quad(text[a:b]); !shape {
			g, s, e = h.scan(text[a:b])
		} else if ok {
			id = ipaddr.From4(q) // what ParseID makes of the text
		}
		if g < 0 || g == h.dns {
			return false
		}
		// the walk leaves the ip4/ip6/dns placeholders unset (dropMarks);
		// the scanned group takes its span, as in hostMatcher.search
		loc[2*g], loc[2*g+1] = a+s, a+e
		f.fusedReport(i, r, tl, loc, id, res)
		return true
	}
	f.buf = f.one[:]
	return true
}

// fusedReport builds the failure of failregex i's walk (offsets loc into
// tl's text, pre + post + "\n") as reportMatch and emit would; id is the
// address already parsed, if it was.
func (f *Filter) fusedReport(i int, r *Regex, tl line, loc []int, id ipaddr.Addr, res *Result) {
	f.buf = f.one[:0]
	res.Hits = f.addHit(res.Hits, i)
	one := f.spare
	if !f.recycle || one == nil {
		one = new(oneFailure)
		if f.recycle {
			f.spare = one
		}
	}
	one.line[0] = tl.orig()
	data := tags.List(one.tags[:0])
	var addr string
	ip4, ip6 := int(r.ids[gIP4]), int(r.ids[gIP6])
	for k, x := range r.host.idx {
		if loc[2*x] < 0 {
			continue
		}
		v := pieceOf(tl, loc[2*x], loc[2*x+1])
		data = append(data, tags.Tag{Name: r.names[k], Value: v})
		if k == ip4 || k == ip6 {
			addr = v // the scanner filled exactly one of them
		}
	}
	data.Sort()
	if id == (ipaddr.Addr{}) {
		if id = ipaddr.ParseID(addr); id == (ipaddr.Addr{}) {
			f.emit(i, ident{host: addr}, &failData{matches: one.line[:]}, data, false, false, one, res)
			return
		}
	}
	one.fail[0] = Failure{ID: id, Host: addr, Time: res.Time, Matches: one.line[:],
		Data: slices.Clip(data), FailRegexIndex: i}
	res.Failures = one.fail[:]
}

// pieceOf returns text[a:b] of a line's text (pre + post + "\n") as a
// piece of the line's own strings where it lies within one of them, so
// the result outlives the scratch buffer without a copy.
func pieceOf(tl line, a, b int) string {
	n := len(tl.pre)
	switch {
	case b <= n:
		return tl.pre[a:b]
	case a >= n && b-n <= len(tl.post):
		return tl.post[a-n : b-n]
	}
	return strings.Clone((tl.pre + tl.post + "\n")[a:b])
}

// quad reads t as hostMatcher.scan's IPv4 form without brackets or
// "::ffff:" prefix: shape reports that t is a dotted quad of 1–3 digit
// numbers (isQuad), ok that it is also an address as ipaddr.Parse reads
// one (every number at most 255, none with a leading zero), b its bytes.
func quad(t string) (b [4]byte, shape, ok bool) {
	if len(t) < 7 || len(t) > 15 {
		return b, false, false
	}
	f, n, nd, bad := 0, 0, 0, false
	for i := 0; i < len(t); i++ {
		if d := t[i] - '0'; d <= 9 {
			if nd == 3 {
				return b, false, false
			}
			n, nd = n*10+int(d), nd+1
			continue
		}
		if t[i] != '.' || nd == 0 || f == 3 {
			return b, false, false
		}
		bad = bad || n > 255 || nd > 1 && t[i-nd] == '0' // leading zero
		b[f&3], f, n, nd = byte(n), f+1, 0, 0
	}
	if f != 3 || nd == 0 {
		return b, false, false
	}
	b[3] = byte(n)
	return b, true, !(bad || n > 255 || nd > 1 && t[len(t)-nd] == '0')
}
