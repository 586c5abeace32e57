package filter

// A failregex usually fails: a line is checked against every failregex
// whose prefilters pass, and at most one of them matches. Go's regexp
// answers "is there a match" (MatchString, no capture bookkeeping) more
// cheaply than it finds the submatches, so a failregex that mostly fails
// is first asked MatchString and searched for groups only on a real
// match. A failregex that mostly matches (php-api, where every line that
// passes the literal prefilter is a failure) would pay twice, so the
// choice adapts to each regex's recent hit rate.
//
// A regex whose ASCII search is a walk (seqmatch.go, btmatch.go) skips
// the precheck: a capture-free walk costs about as much as one that
// keeps its captures, so checking first would only double the cost of a
// match (non-ASCII text, rare in logs, then goes without it too).
//
// The literal prefilter (Regex.mayMatch: first byte, prefix, required
// substrings) adapts the same way for walked regexes on ASCII text: when
// nearly every line it lets through is a failure (a log that records only
// failures, as php-api's does), the Index scans cost more than the
// rejections they save, and the walk, which rejects a line by itself,
// runs alone. A miss then counts against skipping, so a log whose mix
// changes turns the prefilter back on within a few lines.
//
// The precheck cannot change a result: MatchString reports a match
// exactly when FindStringSubmatchIndex returns one (same program, same
// text), so the policy only moves cost.

// precheckStats counts recent engine searches of one failregex, and the
// lines its literal prefilter rejected before any search.
type precheckStats struct{ hits, misses, rejects uint32 }

// precheckDecay halves the counts once this many searches were seen, so
// the choice follows the log's current mix.
const precheckDecay = 1024

// use reports whether the next search should run the precheck: when
// misses clearly dominate (MatchString costs roughly half a submatch
// search, so it pays off above about two misses in three).
func (s *precheckStats) use() bool { return s.misses > 3*s.hits }

// note records the outcome of one engine search.
func (s *precheckStats) note(matched bool) {
	if matched {
		s.hits++
	} else {
		s.misses++
	}
	s.decay()
}

// reject records a line the literal prefilter turned away; the count
// saturates (it only has to outweigh the hits), and note's decay halves
// it with the others.
func (s *precheckStats) reject() {
	if s.rejects < precheckDecay {
		s.rejects++
	}
}

func (s *precheckStats) decay() {
	if s.hits+s.misses >= precheckDecay {
		s.hits, s.misses, s.rejects = s.hits/2, s.misses/2, s.rejects/2
	}
}

// skipLiterals reports whether the literal prefilter is not worth running
// before a walk: over 15 of 16 recent lines were failures.
func (s *precheckStats) skipLiterals() bool { return 16*(s.misses+s.rejects) < s.hits }

// failSearch runs failregex i on text, with the adaptive precheck on the
// fast path; ascii is isASCII(text).
func (f *Filter) failSearch(i int, text string, ascii bool) (*Match, error) {
	r := f.fail[i]
	if f.slow {
		return r.searchInto(text, nil)
	}
	if len(f.prechk) != len(f.fail) {
		f.prechk = make([]precheckStats, len(f.fail))
	}
	s := &f.prechk[i]
	// the literal prefilter, unless skipped (see the package comment)
	if !(r.walks && ascii && !f.alwaysPrecheck && s.skipLiterals()) && !r.mayMatch(text) {
		s.reject()
		return nil, nil
	}
	if (s.use() && !r.walks || f.alwaysPrecheck) && !r.quickMatch(text) {
		s.note(false)
		return nil, nil
	}
	m, err := r.engineOn(text, ascii, &f.sc.fail)
	s.note(m != nil)
	return m, err
}

// quickMatch is a capture-free check: false means engineInto finds no
// match. Only the RE2 forms have one; texts that go to regexp2 pass.
func (r *Regex) quickMatch(text string) bool {
	ascii := isASCII(text)
	if r.dollar && r.bt != nil && innerNewline(text) {
		return true
	}
	switch {
	case ascii && r.host != nil && !r.noPrefilter:
		return r.host.matchString(text) // a superset: false is final
	case ascii && r.ascii != nil:
		return r.ascii.MatchString(text)
	case !ascii && r.uni != nil:
		return r.uni.MatchString(text)
	case ascii && r.rw != nil && !r.noPrefilter:
		return r.rw.matchString(text) // a superset: false is final
	}
	return true
}
