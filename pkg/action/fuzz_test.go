package action

import (
	"net/netip"
	"strings"
	"testing"
)

// FuzzRender checks that rendering never panics and that a dynamic value
// holding a shell metacharacter never influences the script text: the
// script must be the same as for any other unsafe value.
func FuzzRender(f *testing.F) {
	seeds := []struct{ tmpl, prop, value string }{
		{tmpl: "<iptables> -I f2b-<name> 1 -s <ip> -j <blocktype>", prop: "iptables?family=inet6", value: "ip6tables"},
		{tmpl: "echo <matches> <F-USER>", prop: "name", value: "$(x)"},
		{tmpl: "<a<b>>", prop: "b", value: "<a>"},
		{tmpl: "<rule_match-<type>>", prop: "type", value: "multiport"},
		{tmpl: "<x>", prop: "x", value: "<x>"},
		{tmpl: "<<<ip>>>", prop: "ip", value: "`id`"},
		{tmpl: "<F-ID><F-PORT><br><sp>", prop: "matches", value: "a;b"},
	}
	for _, s := range seeds {
		f.Add(s.tmpl, s.prop, s.value, "a'b;c\nd$(e)")
	}
	f.Fuzz(func(t *testing.T, tmpl, prop, value, logValue string) {
		a, _ := newTestAction(t, Prop{Name: "actionban", Value: tmpl}, Prop{Name: prop, Value: value})
		render := func(v string) (Command, error) {
			return a.Render("actionban", "", &Ticket{
				IP:      netip.MustParseAddr("2001:db8::1"),
				Matches: []string{v},
				Data:    map[string]string{"user": v},
			})
		}
		c, err := render(logValue)
		if err != nil || !strings.ContainsAny(logValue, unsafeChars) {
			return
		}
		ref, err := render("$(reference)")
		if err != nil {
			t.Fatalf("reference render failed: %v", err)
		}
		if c.Script != ref.Script {
			t.Fatalf("unsafe value %q changed the script:\n%q\nvs\n%q", logValue, c.Script, ref.Script)
		}
	})
}

func FuzzStr2Seconds(f *testing.F) {
	for _, s := range []string{"600", "1d12h", "1h 30m", "-1", "1.5h", "1x", "", "+-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = str2seconds(s)
	})
}
