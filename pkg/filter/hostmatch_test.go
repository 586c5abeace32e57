package filter

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/config"
)

func TestHostTag(t *testing.T) {
	tests := []struct {
		name string
		in   string // before ExpandTags (UseDNSWarn)
		want bool
	}{
		{name: "php-api", in: `^\s*<ADDR>\s+\S+\s+Incorrect token used\.`, want: true},
		{name: "host after space", in: `from <HOST> port \d+`, want: true},
		{name: "host at end of line", in: `from <HOST>$`, want: true},
		{name: "addr after letter", in: `from<ADDR> x`, want: true},
		{name: "addr after escaped paren", in: `^\(<ADDR>\) x`, want: true},
		{name: "addr after s star after space", in: `x \s*<ADDR>\s`, want: true},
		{name: "host after letter", in: `from<HOST> x`, want: false},
		{name: "addr after hex letter", in: `a<ADDR> x`, want: false},
		{name: "addr after s star after hex letter", in: `a\s*<ADDR> x`, want: false},
		{name: "addr at line start unanchored", in: `<ADDR> x`, want: false},
		{name: "tag at end", in: `from <HOST>`, want: false},
		{name: "optional space after", in: `from <HOST> ?x`, want: false},
		{name: "optional s after", in: `from <HOST>\s*x`, want: false},
		{name: "group after", in: `from <HOST>( port \d+)?`, want: false},
		{name: "inside group", in: `(?:from <HOST> )+x`, want: false},
		{name: "inside class before", in: `[ ]<ADDR> x`, want: false},
		{name: "case folded", in: `(?i)from <HOST> x`, want: false},
		{name: "verbose", in: `(?x)from <HOST> x`, want: false},
		{name: "two hosts", in: `from <HOST> to <HOST> x`, want: false},
		{name: "host escaped hyphen after", in: `from <HOST>\-x`, want: false},
		{name: "addr escaped hyphen after", in: `from <ADDR>\-x`, want: true},
		{name: "alternation before", in: `a|<ADDR> x`, want: false},
		{name: "bar after space", in: `x <ADDR> |y`, want: true},
		{name: "bar right after", in: `x <ADDR>|y`, want: false},
		{name: "escaped backslash then s", in: `x\\s<ADDR> x`, want: true},
		{name: "escaped s", in: `x\\\s*<ADDR> x`, want: false},
		{name: "ip4 tag only", in: `from <IP4> x`, want: false},
		{name: "optional groups then end", in: `from <HOST>( via \S+)?(?: (?:port \d+|on \S+)){0,3}\s*$`, want: true},
		{name: "optional group then letter", in: `from <HOST>(?: port \d+)?x`, want: false},
		{name: "addr optional s then letter", in: `from <ADDR>\s*x`, want: true},
		{name: "alternation of space or end", in: `from <HOST>(?:\s|$)`, want: true},
		{name: "word boundary then colon", in: `from <ADDR>\b:`, want: false},
		{name: "nullable suffix", in: `from <HOST>(?: x)?`, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, got := hostTag(ExpandTags(tt.in, UseDNSWarn), false)
			if got != tt.want {
				t.Errorf("hostTag(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// hostScanCases are runs for the scanners, with the real tag as oracle.
var hostScanCases = []string{
	"192.0.2.1", "[192.0.2.1]", "[192.0.2.1", "192.0.2.1]", "1.2.3", "1.2.3.4.5", "1234.1.1.1", "1..2.3",
	"::ffff:1.2.3.4", "::fffff:1.2.3.4", "::fffffff:1.2.3.4", "::fff:1.2.3.4", "::FFFF:1.2.3.4", ":ffff:1.2.3.4",
	"2001:db8::1", "[2001:db8::1]", "::1", "::", ":::", "fe80::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9",
	"1::2::3", "12345::1", "a:b", "a:", "a::", "::a:", "deadbeef", "abc", "host.example.com", "-x", "x-",
	"a^b", "[x]", "[]", "]", "[", "_", "1:2:3:4:5:6:7::", "1::2:3:4:5:6:7:8", "::ffff:1.2.3.4]", "f:f:f",
}

// TestHostScan compares the scanners with the tag's own regex on whole
// runs: same verdict, same group, same span.
func TestHostScan(t *testing.T) {
	for _, tag := range []string{tagADDR, tagHOST} {
		oracle, err := CompileRegex(`\A(?:`+tag+`)\Z`, RegexOptions{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		h := &hostMatcher{ip4: 1, ip6: 2, dns: 3, hosts: tag == tagHOST}
		for _, run := range hostScanCases {
			g, s, e := h.scan(run)
			want := scanOracle(oracle, run)
			if got := scanResult(g, s, e, run); got != want {
				t.Errorf("tag %.12q… run %q: scan %q, regex %q", tag, run, got, want)
			}
		}
	}
}

func scanResult(g, s, e int, run string) string {
	if g < 0 {
		return "no match"
	}
	return []string{"", "ip4", "ip6", "dns"}[g] + "=" + run[s:e]
}

func scanOracle(oracle *Regex, run string) string {
	m, _ := oracle.Search(run)
	if m == nil {
		return "no match"
	}
	for _, n := range []string{"ip4", "ip6", "dns"} {
		if v, ok := m.Group(n); ok {
			return n + "=" + v
		}
	}
	return "no group"
}

// hostPatterns are failregexes whose tag the host matcher takes.
var hostPatterns = []string{
	`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`,
	`from <HOST> port \d+`,
	`^(?P<x>\S+) from <HOST>$`,
	`user <F-USER>\S+</F-USER> from <ADDR> x`,
	`(?:a|b) <HOST>\s+(?P<y>c)?`,
	`^Failed \S+ for (?P<user>.*) from <HOST>( via \S+)?(?: (?:port \d+|on \S+)){0,3}\s*$`,
	`by <ADDR>(?:\s|$)`,
}

// checkHost compares the host matcher with the full ASCII regex on text
// and reports whether the matcher decided.
func checkHost(t *testing.T, r *Regex, text string) bool {
	t.Helper()
	if r.host == nil || !isASCII(text) {
		return false
	}
	got, ok := r.hostSearch(text, nil)
	want := r.goSearch(r.ascii, r.asciiIdx, r.asciiTail, text, nil, false)
	if !ok {
		return false
	}
	if (got == nil) != (want == nil) {
		t.Fatalf("regex %q text %q: host match %v, full match %v", r.Expr(), text, got != nil, want != nil)
	}
	if got != nil && (got.Start() != want.Start() || got.End() != want.End() || !reflect.DeepEqual(groupSpans(got), groupSpans(want))) {
		t.Fatalf("regex %q text %q: host %v %v, full %v %v", r.Expr(), text,
			[]int{got.Start(), got.End()}, groupSpans(got), []int{want.Start(), want.End()}, groupSpans(want))
	}
	return true
}

func groupSpans(m *Match) map[string][2]int {
	out := map[string][2]int{}
	for k, n := range m.names {
		if i := m.idx[k]; i >= 0 && m.loc[2*i] >= 0 {
			out[n] = [2]int{m.loc[2*i], m.loc[2*i+1]}
		}
	}
	return out
}

// TestHostMatcherStock runs every stock filter regex the host matcher
// takes over the sample texts and near-misses, against the full regex.
func TestHostMatcherStock(t *testing.T) {
	needCorpus(t)
	regexes, decided, matched := 0, 0, 0
	for _, name := range stockFilters(t) {
		for _, dns := range []string{UseDNSWarn, UseDNSNo} {
			def, err := config.LoadFilter(fpConfDir, name, nil)
			if err != nil {
				continue
			}
			o := fpOptions(def, true)
			o.UseDNS = dns
			f, err := New(o)
			if err != nil {
				continue
			}
			var rs []*Regex
			for _, r := range append(append([]*Regex{f.pref}, f.fail...), f.ignore...) {
				if r != nil && r.host != nil {
					rs = append(rs, r)
				}
			}
			regexes += len(rs)
			if len(rs) == 0 {
				continue
			}
			for _, text := range filterTexts(f, sampleLines(t, name)) {
				for _, r := range rs {
					if checkHost(t, r, text) {
						decided++
						if m, _ := r.hostSearch(text, nil); m != nil {
							matched++
						}
					}
				}
			}
		}
	}
	t.Logf("%d regexes with a host matcher, %d texts decided by it, %d matches", regexes, decided, matched)
	if regexes == 0 || matched == 0 {
		t.Fatal("the host matcher was not exercised by the stock filters")
	}
}

// TestHostMatcherEdges: runs the scanner must reject, texts where an
// earlier placeholder run fails and a later one matches.
func TestHostMatcherEdges(t *testing.T) {
	texts := []string{
		"  1.2.3.4.5 - Incorrect token used.\n", "zz 1.2.3.4 x\n", "from abc port 1 from 1.2.3.4 port 2\n",
		"from [::1] port 22\n", "from ::ffff:10.0.0.1 port 22\n", "from 1.2.3.4] port 2\n", "from a_b port 2\n",
		"u from 1:2:3:4:5:6:7:8:9 port 1 from 2001:db8::1 port 3\n", "a from x.y.z\n", "b 192.0.2.1 \n",
		"user bob from 1.2.3.4 x\n", "user bob from 1.2.3.4 user bob from 5.6.7.8 x\n", "from - port 1\n",
	}
	for _, p := range hostPatterns {
		r, err := CompileRegex(ExpandTags(p, UseDNSWarn), RegexOptions{})
		if err != nil || r.host == nil {
			t.Fatalf("pattern %q: host matcher not built (err %v)", p, err)
		}
		for _, text := range texts {
			checkHost(t, r, text)
		}
	}
}

// FuzzHostMatch: on any ASCII text, the host matcher (when it decides)
// agrees with the full regex; the scanners agree with the tag's regex.
func FuzzHostMatch(f *testing.F) {
	for i, s := range hostScanCases {
		f.Add(uint8(i), "from "+s+" port 22\n")
		f.Add(uint8(i), " "+s+" - Incorrect token used.\n")
	}
	var rs []*Regex
	for _, dns := range []string{UseDNSWarn, UseDNSNo} {
		for _, p := range hostPatterns {
			r, err := CompileRegex(ExpandTags(p, dns), RegexOptions{})
			if err != nil || r.host == nil {
				f.Fatalf("pattern %q: host matcher not built (err %v)", p, err)
			}
			rs = append(rs, r)
		}
	}
	oracle, err := CompileRegex(`\A(?:`+tagHOST+`)\Z`, RegexOptions{Timeout: time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		if len(text) > 300 {
			return
		}
		checkHost(t, rs[int(which)%len(rs)], text)
		if run := strings.TrimSpace(text); len(run) < 64 {
			h := &hostMatcher{ip4: 1, ip6: 2, dns: 3, hosts: true}
			g, s, e := h.scan(run)
			if got, want := scanResult(g, s, e, run), scanOracle(oracle, run); isASCII(run) && got != want {
				t.Fatalf("run %q: scan %q, regex %q", run, got, want)
			}
		}
	})
}

// BenchmarkHostMatcher compares one php-api search by the full regex and
// by the host matcher (walk and scanner).
func BenchmarkHostMatcher(b *testing.B) {
	r, err := CompileRegex(ExpandTags(hostPatterns[0], UseDNSWarn), RegexOptions{})
	if err != nil || r.host == nil || r.host.seq == nil {
		b.Fatalf("no host walk for %q (err %v)", hostPatterns[0], err)
	}
	text := " 192.0.2.1 - Incorrect token used. (more info here ...)\n"
	var m Match
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			r.goSearch(r.ascii, r.asciiIdx, r.asciiTail, text, &m, false)
		}
	})
	b.Run("host", func(b *testing.B) {
		for b.Loop() {
			r.hostSearch(text, &m)
		}
	})
}

// FuzzHostPattern: for any pattern around a host tag that gets a host
// matcher, the matcher agrees with the full regex on any ASCII text.
func FuzzHostPattern(f *testing.F) {
	texts := []string{"from 1.2.3.4 port 22\n", " ::1 - Incorrect token used.\n", "a [2001:db8::1] x\n", "from h-1.example port 2\n"}
	for i, p := range append(append([]string{}, hostPatterns...), `^\(<ADDR>\) x`, `x \s*<ADDR>\s`, `from<ADDR> x`, `^<HOST>$`) {
		f.Add(p, texts[i%len(texts)])
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 200 || len(text) > 300 {
			return
		}
		for _, dns := range []string{UseDNSWarn, UseDNSNo} {
			r, err := CompileRegex(ExpandTags(expr, dns), RegexOptions{Timeout: time.Second})
			if err == nil {
				checkHost(t, r, text)
			}
		}
	})
}
