package ipaddr

import (
	"errors"
	"net/netip"
	"testing"
)

var parseTests = []struct {
	name    string
	in      string
	want    string
	single  bool
	ip      bool
	wantErr error
}{
	{name: "v4", in: "192.0.2.1", want: "192.0.2.1", single: true, ip: true},
	{name: "v4 /32 dropped", in: "192.0.2.1/32", want: "192.0.2.1", single: true, ip: true},
	{name: "v4 subnet masked", in: "192.0.2.5/24", want: "192.0.2.0/24", ip: true},
	{name: "dotted mask", in: "192.0.2.0/255.255.255.0", want: "192.0.2.0/24", ip: true},
	{name: "full mask", in: "1.2.3.4/255.255.255.255", want: "1.2.3.4", single: true, ip: true},
	{name: "zero mask", in: "1.2.3.4/0.0.0.0", want: "0.0.0.0", ip: true},
	{name: "plen zero", in: "::1/0", want: "::", ip: true},
	{name: "spaces in plen", in: "1.2.3.4/ 8", want: "1.0.0.0/8", ip: true},
	{name: "leading zero plen", in: "1.2.3.4/08", want: "1.0.0.0/8", ip: true},
	{name: "negative plen is single", in: "1.2.3.4/-1", want: "1.2.3.4", single: true, ip: true},
	{name: "mapped v6", in: "::ffff:1.2.3.4", want: "1.2.3.4", single: true, ip: true},
	{name: "mapped v6 subnet stays v6", in: "::ffff:1.2.3.4/120", want: "::ffff:1.2.3.0/120", ip: true},
	{name: "brackets", in: "[2001:db8::1]", want: "2001:db8::1", single: true, ip: true},
	{name: "v4 brackets", in: "[1.2.3.4]", want: "1.2.3.4", single: true, ip: true},
	{name: "v6 upper subnet", in: "2001:DB8::1/64", want: "2001:db8::/64", ip: true},
	{name: "v6 /128", in: "2001:db8::1/128", want: "2001:db8::1", single: true, ip: true},
	{name: "host name raw", in: "abc.example.com", want: "abc.example.com"},
	{name: "short v4 raw", in: "1.2.3", want: "1.2.3"},
	{name: "zone raw", in: "fe80::1%eth0", want: "fe80::1%eth0"},
	{name: "leading space raw", in: " 1.2.3.4", want: " 1.2.3.4"},
	{name: "octal raw", in: "010.1.1.1", want: "010.1.1.1"},
	{name: "empty raw", in: "", want: ""},
	{name: "id with space", in: "a b", want: "a b"},
	{name: "bad plen", in: "1.2.3.4/abc", wantErr: ErrBadPrefix},
	{name: "empty plen", in: "192.0.2.1/", wantErr: ErrBadPrefix},
	{name: "trailing slash plen", in: "1.2.3.4/8/", wantErr: ErrBadPrefix},
	{name: "non-contiguous mask", in: "1.2.3.4/255.0.255.0", wantErr: ErrBadPrefix},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse(tt.in)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				if id := ParseID(tt.in); id.IsIP() || id.String() != tt.in {
					t.Errorf("ParseID(%q) = %q, want raw", tt.in, id)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := a.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			if a.IsSingle() != tt.single || a.IsIP() != tt.ip {
				t.Errorf("Parse(%q): single=%v ip=%v, want %v %v", tt.in, a.IsSingle(), a.IsIP(), tt.single, tt.ip)
			}
		})
	}
}

func TestAddrContains(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ip   string
		want bool
	}{
		{name: "in subnet", in: "10.0.0.0/8", ip: "10.1.2.3", want: true},
		{name: "outside subnet", in: "10.0.0.0/8", ip: "11.1.2.3"},
		{name: "mapped in subnet", in: "10.0.0.0/8", ip: "::ffff:10.1.2.3", want: true},
		{name: "single equal", in: "192.0.2.1", ip: "192.0.2.1", want: true},
		{name: "raw contains nothing", in: "example.com", ip: "192.0.2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := Parse(tt.in)
			if got := a.Contains(ParseID(tt.ip).IP()); got != tt.want {
				t.Errorf("%q.Contains(%q) = %v, want %v", tt.in, tt.ip, got, tt.want)
			}
		})
	}
}

func TestAddrFamily(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "v4", in: "192.0.2.1", want: "inet4"},
		{name: "mapped is v4", in: "::ffff:192.0.2.1", want: "inet4"},
		{name: "v6 subnet", in: "2001:db8::/32", want: "inet6"},
		{name: "raw", in: "host.example", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseID(tt.in).Family(); got != tt.want {
				t.Errorf("Family(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if !a.IsIP() {
			if a.String() != s {
				t.Fatalf("raw %q printed as %q", s, a.String())
			}
			return
		}
		// The printed form must parse back to the same address (a /0
		// prefix prints without its length, as in fail2ban).
		b, err := Parse(a.String())
		if err != nil || b.String() != a.String() || (a.Prefix().Bits() != 0 && b != a) {
			t.Fatalf("round trip %q -> %q -> %v, %v", s, a, b, err)
		}
	})
}

// TestParseQuad pins the hand-written dotted-quad parser to
// netip.ParseAddr: same address when it accepts, and it declines
// everything netip rejects (leading zeros, big numbers, short forms).
func TestParseQuad(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{in: "192.0.2.1", ok: true},
		{in: "0.0.0.0", ok: true},
		{in: "255.255.255.255", ok: true},
		{in: "10.0.0.10", ok: true},
		{in: "256.0.0.1"},
		{in: "1.2.3.1000"},
		{in: "01.2.3.4"},
		{in: "1.2.3.00"},
		{in: "1.2.3"},
		{in: "1.2.3.4.5"},
		{in: "1..3.4"},
		{in: ".1.2.3"},
		{in: "1.2.3.4."},
		{in: "1.2.3.4/24"},
		{in: "::ffff:1.2.3.4"},
		{in: ""},
		{in: "1.2.3.-4"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ip, ok := parseQuad(tt.in)
			if ok != tt.ok {
				t.Fatalf("parseQuad(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			checkQuad(t, tt.in)
			if ok && ip.String() != tt.in {
				t.Errorf("parseQuad(%q) = %v", tt.in, ip)
			}
		})
	}
}

// checkQuad fails t when parseQuad accepts s with another answer than
// netip.ParseAddr's.
func checkQuad(t *testing.T, s string) {
	t.Helper()
	ip, ok := parseQuad(s)
	if !ok {
		return
	}
	want, err := netip.ParseAddr(s)
	if err != nil || want != ip {
		t.Fatalf("parseQuad(%q) = %v, netip.ParseAddr: %v, %v", s, ip, want, err)
	}
}

func FuzzParseQuad(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "1.2.3.04", "300.1.1.1", "1.2.3", "::1"} {
		f.Add(s)
	}
	f.Fuzz(checkQuad)
}
