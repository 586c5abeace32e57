package ipaddr

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"
)

type fakeResolver struct {
	m     map[string][]string
	calls int
}

func (f *fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	f.calls++
	v, ok := f.m[host]
	if !ok {
		return nil, fmt.Errorf("lookup %q: no such host", host)
	}
	var out []netip.Addr
	for _, s := range v {
		out = append(out, netip.MustParseAddr(s))
	}
	return out, nil
}

func TestSet_List(t *testing.T) {
	var s Set
	for _, e := range []string{"127.0.0.1/8", "::1", "192.0.2.0/255.255.255.0", "", "host.example", "198.51.100.7"} {
		if err := s.Add(e); err != nil {
			t.Fatalf("Add(%q): %v", e, err)
		}
	}
	want := []string{"127.0.0.0/8", "192.0.2.0/24", "host.example", "::1", "198.51.100.7"}
	if got := s.List(); !slices.Equal(got, want) {
		t.Fatalf("List() = %q, want %q", got, want)
	}
	if err := s.Add("192.0.2.9/24"); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate subnet: err = %v", err)
	}
	if err := s.Add("::1"); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate single: err = %v", err)
	}
	if err := s.Remove("192.0.2.0/24"); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove("::1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove("10.0.0.1"); !errors.Is(err, ErrNotInList) {
		t.Errorf("Remove absent: err = %v", err)
	}
	want = []string{"127.0.0.0/8", "host.example", "198.51.100.7"}
	if got := s.List(); !slices.Equal(got, want) {
		t.Fatalf("List() after Remove = %q, want %q", got, want)
	}
	if s.Match(t.Context(), netip.MustParseAddr("192.0.2.1"), nil) != RuleNone {
		t.Error("removed subnet still matches")
	}
}

func TestSet_Match(t *testing.T) {
	var s Set
	for _, e := range []string{"10.0.0.0/8", "2001:db8::/32", "192.0.2.1", "host.example", "gone.example"} {
		if err := s.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	r := &fakeResolver{m: map[string][]string{"host.example": {"203.0.113.5", "2001:db9::5"}}}
	tests := []struct {
		name string
		in   string
		want Rule
	}{
		{name: "subnet v4", in: "10.200.0.1", want: RuleIP},
		{name: "subnet v6", in: "2001:db8:1::1", want: RuleIP},
		{name: "single", in: "192.0.2.1", want: RuleIP},
		{name: "mapped single", in: "::ffff:192.0.2.1", want: RuleIP},
		{name: "neighbour", in: "192.0.2.2", want: RuleNone},
		{name: "dns v4", in: "203.0.113.5", want: RuleDNS},
		{name: "dns v6", in: "2001:db9::5", want: RuleDNS},
		{name: "none", in: "198.51.100.1", want: RuleNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Match(t.Context(), netip.MustParseAddr(tt.in), r); got != tt.want {
				t.Errorf("Match(%s) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := s.MatchText(t.Context(), "HOST.example", r); got != RuleDNS {
		t.Errorf("MatchText(raw) = %q, want dns", got)
	}
}

func TestCache(t *testing.T) {
	now := time.Unix(1000, 0)
	r := &fakeResolver{m: map[string][]string{"a": {"192.0.2.1"}}}
	c := NewCache(CacheOptions{Resolver: r, Now: func() time.Time { return now }, MaxSize: 2})
	for range 3 {
		if got, _ := c.LookupNetIP(t.Context(), "ip", "a"); len(got) != 1 {
			t.Fatalf("lookup = %v", got)
		}
	}
	if r.calls != 1 {
		t.Errorf("resolver calls = %d, want 1 (cached)", r.calls)
	}
	_, _ = c.LookupNetIP(t.Context(), "ip", "missing")
	_, _ = c.LookupNetIP(t.Context(), "ip", "missing")
	if r.calls != 2 {
		t.Errorf("resolver calls = %d, want 2 (negative answer cached)", r.calls)
	}
	now = now.Add(5*time.Minute + time.Second)
	_, _ = c.LookupNetIP(t.Context(), "ip", "a")
	if r.calls != 3 {
		t.Errorf("resolver calls = %d, want 3 after TTL", r.calls)
	}
	_, _ = c.LookupNetIP(t.Context(), "ip", "b") // evicts: size bound 2
	if len(c.m) > 2 {
		t.Errorf("cache size %d exceeds bound", len(c.m))
	}
}

func TestSelfAddrs(t *testing.T) {
	r := &fakeResolver{m: map[string][]string{
		"localhost": {"127.0.0.1", "::1"},
		"box":       {"192.0.2.10"},
		"box.lan":   {"192.0.2.10", "198.51.100.10"},
	}}
	got := SelfAddrs(t.Context(), SelfOptions{
		Resolver: r,
		Hostname: func() (string, error) { return "box", nil },
		FQDN:     func(string) string { return "box.lan" },
		InterfaceAddrs: func() ([]net.Addr, error) {
			return []net.Addr{&net.IPNet{IP: net.ParseIP("10.1.1.1"), Mask: net.CIDRMask(24, 32)}}, nil
		},
	})
	var s []string
	for _, a := range got {
		s = append(s, a.String())
	}
	want := []string{"10.1.1.1", "127.0.0.1", "192.0.2.10", "198.51.100.10", "::1"}
	if !slices.Equal(s, want) {
		t.Errorf("SelfAddrs = %q, want %q", s, want)
	}
}

func TestParseUseDNS(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want UseDNS
		ok   bool
	}{
		{name: "yes", in: "YES", want: UseDNSYes, ok: true},
		{name: "warn", in: "warn", want: UseDNSWarn, ok: true},
		{name: "raw", in: "Raw", want: UseDNSRaw, ok: true},
		{name: "bool", in: "true", want: UseDNSYes, ok: true},
		{name: "bogus becomes no", in: "maybe", want: UseDNSNo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseUseDNS(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseUseDNS(%q) = %q, %v", tt.in, got, ok)
			}
		})
	}
}

func BenchmarkSet_Match(b *testing.B) {
	var s Set
	for i := range 1000 {
		_ = s.Add(fmt.Sprintf("10.%d.%d.0/24", i/256, i%256))
		_ = s.Add(fmt.Sprintf("192.0.%d.%d", i/256, i%256))
	}
	_ = s.Add("172.16.0.0/12")
	ip := netip.MustParseAddr("203.0.113.9")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if s.Match(ctx, ip, nil) != RuleNone {
			b.Fatal("unexpected match")
		}
	}
}

func TestSet_Clear(t *testing.T) {
	var s Set
	for _, e := range []string{"10.0.0.0/8", "192.0.2.1", "host.example"} {
		if err := s.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	s.Clear() // must leave the mutex usable
	if s.Len() != 0 || len(s.List()) != 0 {
		t.Fatalf("after Clear: %q", s.List())
	}
	if err := s.Add("192.0.2.1"); err != nil {
		t.Fatalf("Add after Clear: %v", err)
	}
	if s.Match(t.Context(), netip.MustParseAddr("10.1.1.1"), nil) != RuleNone {
		t.Error("cleared subnet still matches")
	}
}
