package filter

import (
	"regexp"
	"strings"
)

// The expansions of <ADDR> and <HOST> are the costly part of most
// failregexes: RE2 walks their big alternation at every candidate
// position. The host matcher compiles a second regex where the tag is a
// plain run of the bytes the tag can contain, searches with that, and
// checks the run with a hand-written scanner.
//
// Why this gives the same match (ASCII text only): hostTag accepts a tag
// only where every match path reaches it at text start or after a byte
// outside the run set, and leaves it for a byte outside that set. So in
// any match of the real regex the tag spans a maximal run, and so does
// the placeholder in any match of the placeholder regex; the span is
// fixed by where the run starts. The placeholder regex accepts every path
// the real one does (a superset), in the same priority order outside the
// tag. Hence: no placeholder match means no real match; and if the first
// placeholder match's run is one the tag accepts whole, the real regex
// takes the very same path (every earlier path failed in the superset
// too), with the tag's groups as the scanner finds them. If the scanner
// rejects the run, the real regex may still match by a later path: the
// full engine decides.

// hostMatcher is the placeholder form of one Regex.
type hostMatcher struct {
	re    *regexp.Regexp
	idx   []int // subexpression of each of the Regex's names in re
	run   int   // subexpression of the placeholder run
	ip4   int   // subexpression standing for ip4 (-1: none)
	ip6   int
	dns   int // -1 for <ADDR>
	hosts bool
	seq   *seqMatcher // the same search without a regex engine (nil: none)
	walk  *btProg     // re as a backtracking walk, where seq is nil (btmatch.go)
}

// hostRunName names the placeholder group; no fail2ban tag produces it.
const hostRunName = "f2bhostrun"

// newHostMatcher builds the placeholder form of expr, or nil when the
// tag's context is not one hostTag proves safe or the result does not
// compile with RE2.
func newHostMatcher(expr string, names []string, multiline bool) *hostMatcher {
	at, tag, chars, ok := hostTag(expr, multiline)
	if !ok {
		return nil
	}
	inner := `(?P<ip4>)(?P<ip6>)`
	if tag == tagHOST {
		inner += `(?P<dns>)`
	}
	ph := expr[:at] + `(?P<` + hostRunName + `>` + inner + `[` + chars + `]+)` + expr[at+len(tag):]
	src, needBT, err := translate(ph, targetASCII, multiline)
	if err != nil || needBT != "" {
		return nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil
	}
	h := &hostMatcher{re: re, run: re.SubexpIndex(hostRunName), ip4: re.SubexpIndex("ip4"),
		ip6: re.SubexpIndex("ip6"), dns: re.SubexpIndex("dns"), hosts: tag == tagHOST, seq: newSeqMatcher(src)}
	if h.seq == nil {
		h.walk = newBTProg(re)
	} else {
		h.seq.dropMarks(h.ip4, h.ip6, h.dns) // search and the fused path set them
	}
	h.idx = make([]int, len(names))
	for k, n := range names {
		if h.idx[k] = re.SubexpIndex(n); h.idx[k] < 0 {
			return nil
		}
	}
	return h
}

// search runs the placeholder regex on ASCII text. done false means the
// full engine must decide; otherwise loc is the real regex's match (nil:
// none), laid out by h.idx.
func (h *hostMatcher) search(text string, buf []int, sc *btScratch) (loc []int, done bool) {
	loc = h.find(text, buf, sc)
	if loc == nil {
		return nil, true
	}
	for _, g := range []int{h.ip4, h.ip6, h.dns} {
		if g > 0 {
			loc[2*g], loc[2*g+1] = -1, -1
		}
	}
	a, b := loc[2*h.run], loc[2*h.run+1]
	if a < 0 {
		return loc, true
	}
	g, s, e := h.scan(text[a:b])
	if g < 0 {
		return nil, false
	}
	loc[2*g], loc[2*g+1] = a+s, a+e
	return loc, true
}

// scan reports which tag group captures in run and its span inside run,
// following the tag's first-alternative-first order: [ and ] each taken
// when present, the IPv4 form before the IPv6 form, then a host name.
// g is -1 when the tag cannot match run as a whole.
func (h *hostMatcher) scan(run string) (g, s, e int) {
	in, off := run, 0
	if strings.HasPrefix(in, "[") {
		in, off = in[1:], 1
	}
	in = strings.TrimSuffix(in, "]")
	if p := ip4Start(in); p >= 0 {
		return h.ip4, off + p, off + len(in)
	}
	if isIP6(in) {
		return h.ip6, off, off + len(in)
	}
	if h.hosts && isDNS(run) {
		return h.dns, 0, len(run)
	}
	return -1, 0, 0
}

// find is the placeholder regex's FindStringSubmatchIndex, by the walk
// when there is one; the walk's result lives in buf when it is large
// enough, and it works in sc (nil: a fresh one).
func (h *hostMatcher) find(text string, buf []int, sc *btScratch) []int {
	if h.seq == nil {
		return findASCII(h.re, h.walk, text, buf, sc)
	}
	var tmp [2 * (seqMaxCap + 1)]int
	loc := tmp[:2*(h.seq.ncap+1)]
	for i := range loc {
		loc[i] = -1
	}
	if !h.seq.match(text, loc) {
		return nil
	}
	if len(buf) >= len(loc) {
		return buf[:copy(buf, loc)]
	}
	return append([]int(nil), loc...)
}

// matchString is the placeholder regex's MatchString.
func (h *hostMatcher) matchString(text string) bool {
	if h.seq == nil {
		return matchASCII(h.re, h.walk, text)
	}
	var buf [2 * (seqMaxCap + 1)]int
	return h.seq.match(text, buf[:2*(h.seq.ncap+1)])
}
