package filter_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/f2b/f2b/pkg/filter"
)

// TestSetCommands drives a filter the way the server's `set <jail> …`
// commands do, in order.
func TestSetCommands(t *testing.T) {
	f := newFilter(t, filter.Options{})
	if err := f.AddFailRegex(`^x (\S+)$`); err == nil {
		t.Error("failregex without failure-id group accepted")
	}
	if err := f.SetPrefRegex(`^<F-MLFID>\S+</F-MLFID> <F-CONTENT>.+</F-CONTENT>$`); err != nil {
		t.Fatal(err)
	}
	if err := f.AddFailRegex(`^x (\S+)$`); err != nil {
		t.Errorf("failregex with the id in the prefregex: %v", err)
	}
	if err := f.AddFailRegex(`^fail <HOST>$`); err != nil {
		t.Fatal(err)
	}
	if err := f.DelFailRegex(0); err != nil {
		t.Fatal(err)
	}
	if err := f.DelFailRegex(5); !errors.Is(err, filter.ErrBadIndex) {
		t.Errorf("DelFailRegex(5) = %v, want ErrBadIndex", err)
	}
	if got := ids(f.ProcessLine("s1 fail 192.0.2.1")); !slices.Equal(got, []string{"192.0.2.1"}) {
		t.Errorf("after set commands: ids %q", got)
	}
	if err := f.AddIgnoreRegex(`192\.0\.2\.1`); err != nil {
		t.Fatal(err)
	}
	if got := ids(f.ProcessLine("s1 fail 192.0.2.1")); got != nil {
		t.Errorf("ignoreregex added: ids %q", got)
	}
	if err := f.DelIgnoreRegex(-1); err != nil || len(f.IgnoreRegex()) != 0 {
		t.Errorf("DelIgnoreRegex(-1) = %v, %d left", err, len(f.IgnoreRegex()))
	}
	if err := f.SetUseDNS("bogus"); err == nil || f.UseDNS() != filter.UseDNSNo {
		t.Errorf("SetUseDNS(bogus) = %v, usedns %q", err, f.UseDNS())
	}
	if err := f.SetDatePattern("^%Y-%m-%d %H:%M:%S"); err != nil || f.DatePattern() == "" {
		t.Errorf("SetDatePattern: %v", err)
	}
}

// TestMaxLinesAtAddTime: like fail2ban, MULTILINE is decided when a
// failregex is added.
func TestMaxLinesAtAddTime(t *testing.T) {
	tests := []struct {
		name        string
		maxLinesNow bool // set maxlines before adding the regex
		want        []string
	}{
		{name: "maxlines first: multi-line regex", maxLinesNow: true, want: []string{"192.0.2.1"}},
		{name: "regex first: single-line regex", maxLinesNow: false, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFilter(t, filter.Options{CheckAll: true})
			if tt.maxLinesNow {
				f.SetMaxLines(2)
			}
			if err := f.AddFailRegex(`^a$\n^b <HOST>$`); err != nil {
				t.Fatal(err)
			}
			f.SetMaxLines(2)
			f.ProcessLine("a")
			if got := ids(f.ProcessLine("b 192.0.2.1")); !slices.Equal(got, tt.want) {
				t.Errorf("ids %q, want %q", got, tt.want)
			}
		})
	}
}
