package filter

import (
	"slices"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/config"
)

// TestRewriteSharedLits: with the literals of the alternatives shared
// and looked up once per text (litMemo), each alternative's verdict, and
// so the search, is the one of its own prefix and literals (none of
// them implied by the prefix, none twice), on the
// stock sshd failregexes (whose rewrites split into many alternatives)
// over fail2ban's sample lines and their near-misses.
func TestRewriteSharedLits(t *testing.T) {
	needCorpus(t)
	def, err := config.LoadFilter(fpConfDir, "sshd", map[string]string{"mode": "aggressive"})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, l := range sampleLines(t, "sshd") {
		for _, s := range nearMisses(l) {
			// the content a prefregex would leave: from the message on
			if i := strings.Index(s, "]: "); i >= 0 {
				s = s[i+3:]
			}
			texts = append(texts, s+"\n")
		}
	}
	shared := 0
	for _, expr := range def.FailRegex {
		w := newRewrite(ExpandTags(expr, UseDNSNo), namedGroups(ExpandTags(expr, UseDNSNo)), false)
		if w == nil || len(w.alts) < 2 {
			continue
		}
		if w.lits == nil {
			t.Fatalf("%q: literals not shared", expr)
		}
		shared++
		for i, a := range w.alts {
			// none implied by the prefix, none twice
			for k, l := range a.lits {
				if strings.Contains(a.prefix, l) || slices.Index(a.lits, l) != k {
					t.Errorf("alternative %d: literal %q in prefix %q or repeated in %q", i, l, a.prefix, a.lits)
				}
			}
		}
		plain := *w
		plain.lits = nil
		for _, text := range texts {
			var memo litMemo
			for i := range w.alts {
				a := &w.alts[i]
				want := strings.HasPrefix(text, a.prefix) && containsAll(text, a.lits)
				if got := w.mayMatch(a, text, &memo); got != want {
					t.Fatalf("%q alternative %d on %q: shared %v, own %v", expr, i, text, got, want)
				}
			}
			got, gotDone := w.search(text, nil, nil)
			want, wantDone := plain.search(text, nil, nil)
			if !slices.Equal(got, want) || gotDone != wantDone {
				t.Fatalf("%q on %q: shared %v %v, own %v %v", expr, text, got, gotDone, want, wantDone)
			}
		}
	}
	t.Logf("%d rewrites over %d texts", shared, len(texts))
	if shared == 0 || len(texts) == 0 {
		t.Fatal("no sshd failregex has a split rewrite: the test checks nothing")
	}
}
