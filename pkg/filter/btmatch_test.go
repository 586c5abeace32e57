package filter

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/config"
)

// btSeeds are patterns of the shapes the walk is built for, and of the
// ones it must refuse or give up on.
var btSeeds = []string{
	`^(?P<mlfid>(?:\[\])?\s*(?:<[^.]+\.[^.]+>\s+)?(?:\S+\s+)?(?:kernel:\s?\[ *\d+\.\d+\]:?\s+)?(?:@vserver_\S+\s+)?(?:(?:(?:\[\d+\])?:\s+[\[\(]?sshd(?:\(\S+\))?[\]\)]?:?|[\[\(]?sshd(?:\(\S+\))?[\]\)]?:?(?:\[\d+\])?:?)\s+)?(?:\[ID \d+ \S+\]\s+)?)(?:(?:error|fatal): (?:PAM: )?)?(?P<content>.)`,
	`^Failed \S+ for (?P<inv>invalid user )?(?P<user>\S+|.*?) from (?P<h>[0-9.]+)(?: (?:port \d+|on \S+)){0,2}(?: ssh\d*)?(?m:$)`,
	`^(?i)user (?P<u>.*?) from\b`,
	`^(?:a|ab)(?:c|bcd)(?P<x>d*)`,
	`^(a*)*b`, `^(?:a+)+$`, `^(?:x|y?)*z`, `^(a|b)*?c`, `^a{2,4}?b{3}(?:cd){1,2}`,
	`^(?P<u>[^:]+) from (?P<h>\S+)`, `^(?P<u>.*?) from (?P<h>\S+)$`, `^x*?xxy`, `^(a+)aab`, `^(?:a|b)+?abz`, `^\Aa?b`, `^(?:a:?|b)[ab]?:?b`,
	`^(?:(\w+) )+\z`, `^\B\w\b`, `^(?m)^a$`, `^[^\n]+\n^b`, `^(?s).+`, `^\x{212A}`, `^(?i)k`, `^é|x`,
}

// FuzzBTProg: wherever the walk answers, it gives Go's regexp's result,
// captures included (ASCII text, which is all it is used for).
func FuzzBTProg(f *testing.F) {
	for _, s := range btSeeds {
		for _, t := range []string{"", "web1 sshd[123]: Failed password for root from 192.0.2.7 port 22 ssh2\n",
			"aabcdd", "abcd", "USER bob from x", "xyz", "a\nb", "kelvin", " [12.5]: a\n"} {
			f.Add(s, t)
		}
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 300 || len(text) > 400 {
			return
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		p := newBTProg(re)
		if p == nil {
			return
		}
		b := []byte(text)
		for i := range b {
			b[i] &= 0x7f
		}
		text = string(b)
		checkBT(t, re, p, text)
	})
}

func checkBT(t *testing.T, re *regexp.Regexp, p *btProg, text string) {
	t.Helper()
	want := re.FindStringSubmatchIndex(text)
	if got, ok := p.find(text, nil, nil); ok && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q on %q: walk %v, regexp %v", re, text, got, want)
	}
	if got, ok := p.matchString(text); ok && got != (want != nil) {
		t.Fatalf("%q on %q: walk matchString %v, regexp %v", re, text, got, want != nil)
	}
}

// TestBTProgShapes: the walk is built for the shapes it can prove equal
// and refused for the others.
func TestBTProgShapes(t *testing.T) {
	for _, tt := range []struct {
		expr string
		ok   bool
	}{
		{btSeeds[0], true},
		{btSeeds[1], true},
		{`^(?:a|ab)(?:c|bcd)(?P<x>d*)`, true},
		{`^(a*)*b`, false},      // a loop whose body matches empty
		{`^(?:x|y?)*z`, false},  // likewise
		{`a^b`, false},          // not start-anchored
		{`^a|b`, false},         // b is not anchored
		{`^\x{212A}`, true},     // never matches ASCII: a failing node
		{`^(?i)\x{212A}`, true}, // the class [Kk\x{212A}]
	} {
		if got := newBTProg(regexp.MustCompile(tt.expr)) != nil; got != tt.ok {
			t.Errorf("%q: walk built %v, want %v", tt.expr, got, tt.ok)
		}
	}
}

// TestBTProgAgrees runs the seeds over texts that take every path.
func TestBTProgAgrees(t *testing.T) {
	texts := []string{"", "web1 sshd[123]: Failed password for root from 192.0.2.7 port 22 ssh2\n",
		"Failed password for invalid user x from y from 1.2.3.4 port 5 on a ssh2\n",
		"aabcdd", "abcd", "abcdd", "USER bob from x", "user x from", "aabbbcdcd", "aaaabbbcd",
		"ab cd ", "ab cd", "xb", "u from v from w", "a from b: c from d\n", " from x", "xxxxy", "xxy", "aaaab", "aab",
		"ababz", "abaabz", "aaaaab", "u fro", "u from ", "a\nb", "kelvin", "Kelvin", "[] <a.b> host kernel: [ 12.5]: @vserver_x sshd(pam)[1]: [ID 5 x.y] error: PAM: hi\n"}
	for _, expr := range btSeeds {
		re := regexp.MustCompile(expr)
		p := newBTProg(re)
		if p == nil {
			continue
		}
		for _, text := range texts {
			checkBT(t, re, p, text)
		}
	}
}

// TestBTBudget: a search that would take exponential time gives up, and
// says so.
func TestBTBudget(t *testing.T) {
	re := regexp.MustCompile(`^(?:aa?)+$`)
	p := newBTProg(re)
	if p == nil {
		t.Fatal("no walk")
	}
	text := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"
	if _, ok := p.find(text, nil, nil); ok {
		t.Fatal("the walk did not give up")
	}
}

// FuzzSSHDWalk: the stock sshd filter (every mode) gives the same result
// with its walks as on the reference path (Go's regexp and regexp2, no
// fast paths), on any line: the prefregex walk on fail2ban's prefix line
// and the failregex walks behind it.
func FuzzSSHDWalk(f *testing.F) {
	data, err := os.ReadFile("testdata/authlog-mix.log")
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f.Add(l, uint8(0))
	}
	f.Add("Nov 25 13:01:04 [] <auth.info> web1 kernel: [ 12.5]: @vserver_x sshd(pam)[1]: [ID 5 x.y] error: PAM: User x from 1.2.3.4 not allowed because listed in DenyUsers", uint8(2))
	f.Add("Nov 25 13:01:04 web1 sshd[7]: Failed password for invalid user a from b from 192.0.2.9 port 22 ssh2: x", uint8(1))
	modes := []string{"normal", "ddos", "extra", "aggressive"}
	pairs := make([][2]*Filter, len(modes))
	for k, mode := range modes {
		def, err := config.LoadFilter(fpConfDir, "sshd", map[string]string{"mode": mode})
		if err != nil {
			f.Skipf("stock sshd filter: %v", err)
		}
		fast, err1 := New(fpOptions(def, false))
		ref, err2 := New(fpOptions(def, false))
		if err1 != nil || err2 != nil {
			f.Fatal(err1, err2)
		}
		pairs[k] = [2]*Filter{fast, ref.reference()}
	}
	f.Fuzz(func(t *testing.T, line string, mode uint8) {
		if len(line) > 500 {
			return
		}
		p := pairs[int(mode)%len(pairs)]
		if got, want := p[0].ProcessLine(line), p[1].ProcessLine(line); !reflect.DeepEqual(got, want) {
			t.Fatalf("line %q: walk %+v, reference %+v", line, got, want)
		}
	})
}

// TestByteSetSingle: single finds the member of a one-byte set in any of
// the four words, and refuses empty and larger sets.
func TestByteSetSingle(t *testing.T) {
	for _, b := range []byte{0, ' ', 63, 64, 'z', 127, 128, 200, 255} {
		var s byteSet
		s.add(b)
		if got, ok := s.single(); !ok || got != b {
			t.Errorf("{%d}: single = %d, %v", b, got, ok)
		}
		s.add(b ^ 1)
		if _, ok := s.single(); ok {
			t.Errorf("{%d, %d}: single reported one member", b, b^1)
		}
	}
	var empty byteSet
	if _, ok := empty.single(); ok {
		t.Error("empty set: single reported a member")
	}
}
