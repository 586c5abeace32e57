package filter_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/f2b/f2b/pkg/filter"
	"github.com/f2b/f2b/pkg/tags"
)

// TestSessionDataStaysPut: a failure of an mlfid session shares the
// session's data (Data, Matches, Users); later lines of the same session
// must not change what earlier results hold, nor may the session see
// a caller appending to its slices.
func TestSessionDataStaysPut(t *testing.T) {
	opts := sessionOptions(`^Invalid user <F-USER>\S+</F-USER> from <HOST> port <F-PORT/>$`)
	lines := []string{
		"sshd[5]: Failed password for bob",
		"sshd[5]: Connection from 192.0.2.5",
		"sshd[5]: Failed password for eve",
		"sshd[5]: Invalid user mallory from 192.0.2.6 port 22",
		"sshd[5]: Failed publickey for trent from 192.0.2.7",
		"sshd[5]: Connection from 192.0.2.8",
		"sshd[5]: Disconnected from 192.0.2.9",
		"sshd[5]: Connection from 192.0.2.10",
	}
	type kept struct {
		data           tags.List
		matches, users []string
	}
	t.Run("ProcessLine", func(t *testing.T) {
		f := newFilter(t, opts)
		var results []filter.Result
		var snaps []kept
		for _, l := range lines {
			r := f.ProcessLine(l)
			for _, fl := range r.Failures {
				snaps = append(snaps, kept{slices.Clone(fl.Data), slices.Clone(fl.Matches), slices.Clone(fl.Users)})
			}
			results = append(results, r)
		}
		// what each failure held when it was reported, after all lines
		k := 0
		for _, r := range results {
			for _, fl := range r.Failures {
				if got := (kept{fl.Data, fl.Matches, fl.Users}); !reflect.DeepEqual(got, snaps[k]) {
					t.Errorf("failure %d changed after later lines: %+v, was %+v", k, got, snaps[k])
				}
				k++
			}
		}
		if k < 4 {
			t.Fatalf("only %d failures: the test no longer exercises shared sessions", k)
		}
	})

	t.Run("appending to a result", func(t *testing.T) {
		f := newFilter(t, opts)
		var first *filter.Failure
		var want []string
		for _, l := range lines {
			r := f.ProcessLine(l)
			if first == nil && len(r.Failures) > 0 {
				first = &r.Failures[0]
				want = slices.Clone(first.Users)
				// a caller's append must not reach the session's slices
				_ = append(first.Users, "intruder")
				_ = append(first.Matches, "intruder")
			}
			for _, fl := range r.Failures {
				if slices.Contains(fl.Users, "intruder") || slices.Contains(fl.Matches, "intruder") {
					t.Fatalf("line %q: a caller's append reached the session: %+v", l, fl)
				}
			}
		}
		if !slices.Equal(first.Users, want) {
			t.Errorf("users %q, want %q", first.Users, want)
		}
	})
}
