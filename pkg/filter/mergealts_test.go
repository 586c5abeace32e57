package filter

import (
	"reflect"
	"testing"
	"time"
)

// altOptions: a prefregex with a user group and failregexes with alt_
// groups (fail2ban's <F-ALT_*>), the shapes mergeAlts handles.
func altOptions() Options {
	return Options{
		PrefRegex: `^(?:user=<F-USER>\S+</F-USER> )?(?:srv=(?P<srv>\S+) )?<F-CONTENT>.+</F-CONTENT>$`,
		FailRegex: []string{
			`^fail(?: user <F-ALT_USER>\S*</F-ALT_USER>)?(?: ruser <F-ALT_USER1>\S*</F-ALT_USER1>)? from <HOST>`,
			`^bad(?: by <F-ALT_SRV>\S+</F-ALT_SRV>)?(?: as <F-USER>\S*</F-USER>)? from <ADDR>`,
		},
		Now: func() time.Time { return time.Date(2026, 11, 25, 13, 2, 0, 0, time.UTC) },
	}
}

var altLines = []string{
	"fail user alice from 192.0.2.1",
	"user=bob fail user alice from 192.0.2.1",
	"user=bob fail from 192.0.2.1",
	"fail user  ruser carol from 192.0.2.1",
	"user=bob fail user  ruser carol from 192.0.2.1",
	"user=bob fail user alice ruser carol from 192.0.2.1",
	"fail from 192.0.2.1",
	"srv=web bad by mail from 192.0.2.2",
	"srv=web bad by mail as  from 192.0.2.2",
	"user=bob srv=web bad as eve from 192.0.2.2",
	"user=bob bad by mail from 192.0.2.2",
	"bad from 192.0.2.2",
}

// FuzzMergeAlts: failures of alt_ matches built by mergeAlts equal those
// the reference path builds from mergeGroups' maps.
func FuzzMergeAlts(f *testing.F) {
	for _, l := range altLines {
		f.Add(l)
	}
	fast, err1 := New(altOptions())
	ref, err2 := New(altOptions())
	if err := errorsOf(err1, err2); err != nil {
		f.Fatal(err)
	}
	ref.reference()
	f.Fuzz(func(t *testing.T, l string) {
		if got, want := fast.ProcessLine(l), ref.ProcessLine(l); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n  fast: %+v\n  ref:  %+v", l, got, want)
		}
	})
}

// TestMergeAltsUsed: the alt_ lines take mergeAlts and produce failures.
func TestMergeAltsUsed(t *testing.T) {
	f, err := New(altOptions())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range altLines {
		n += len(f.ProcessLine(l).Failures)
	}
	if n < len(altLines)-2 {
		t.Fatalf("only %d failures from %d lines", n, len(altLines))
	}
	if !onlyAlts(nil, &Match{complex: f.fail[0].complex}) {
		t.Fatal("the failregex with alt_ groups does not take mergeAlts")
	}
}
