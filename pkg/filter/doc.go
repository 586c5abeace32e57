// Package filter turns log lines into failures the way fail2ban's filter
// does (fail2ban/server/failregex.py and fail2ban/server/filter.py):
// failregex, ignoreregex and prefregex with <F-CONTENT>, the <HOST>,
// <ADDR>, <F-ID> … tags, maxlines buffers with <SKIPLINES>, mlfid
// sessions (<F-MLFID>, <F-NOFAIL>, <F-MLFGAINED>, <F-MLFFORGET>) and the
// usedns policy. Dates come from pkg/datedetect; the date text is cut out
// of the line before matching, and the searched text ends in "\n", as in
// fail2ban.
//
// Filters are written in Python's re dialect. Each pattern is translated
// once per target and compiled with Go's linear-time regexp whenever
// possible: an ASCII form (Python's Unicode \d \w \s \b agree with the
// cheap ASCII classes on ASCII text) and a Unicode form for other text.
// Patterns that need lookarounds, conditional groups or back-references
// (and \b on non-ASCII text) fall back to github.com/dlclark/regexp2 with
// a match timeout, so no pattern can stall a jail; a timed-out search
// counts as no match and is reported in Result.Errors. Regex.Engine says
// which engine a pattern got. For ASCII text, conditionals and lookahead
// loops such as stock sshd's get an exact RE2 rewrite in front of regexp2
// (rewrite.go: conditionals resolved by distributing the group's piece
// over the rest of the sequence, lookahead loops checked over their
// captured span, regexp2 deciding when RE2's path fails a check), and a
// final <F-CONTENT>.+</F-CONTENT>$ is matched as one character and
// stretched to the line end (tail.go). Before any engine runs, the literal prefix
// and required substrings of the pattern (derived from a relaxed,
// superset translation) reject most lines with a HasPrefix/Contains, and
// a ^-anchored pattern first checks the line's first byte against the
// bytes a match can begin with (derived from the ASCII translation, exact
// on ASCII; non-ASCII first bytes always pass); a filter answers that
// check for all its failregexes at once with one table look-up
// (dispatch.go). The searched text and the
// Match values live in per-filter buffers reused from line to line, so a
// line that matches nothing allocates nothing; only a reported failure
// copies what it keeps, and not even that when the groups are pieces of
// the raw line; a failure without an mlfid session or alt_/tuple_ groups
// is built straight from the matches (ids.go: reportMatch), its Data a
// tags.List in the same allocation as the failure and its line; with
// ProcessLineInto and in a Pipeline, whose callers are done with a
// line's result when the next line comes, that allocation is reused, so
// such a failure allocates nothing either. An mlfid session shares its
// matches with the failures it reports (its groups are copied into each
// failure's list); a match that ends a session the cache does not hold
// as nofail is counted from the matches alone (ids.go: reportForgotten).
// A failregex that mostly fails is first asked a
// capture-free MatchString, and searched for its groups only on a real
// match (precheck.go). Where the context of an expanded <ADDR> or <HOST>
// pins its span to a maximal run of address bytes, ASCII text is searched
// with the tag replaced by such a run, and the run is checked by
// hand-written address scanners; a start-anchored result made only of
// literals and runs that cannot be cut short is matched by a single
// left-to-right walk, without a regex engine (hostmatch.go, hostctx.go,
// seqmatch.go). A run the tag rejects sends the line to the full regex.
// For the commonest shape of all (no prefregex nor ignoreregex, one line,
// every failregex such a walk capturing the address as ip4/ip6, as in
// php-api and most hand-written filters) the whole line skips that
// machinery: the fused path (fused.go) walks each failregex in order and
// builds the failure straight from the walk's offsets, and hands any
// line it cannot decide exactly (non-ASCII text, a host name, a run the
// scanners reject) back to the general path untouched.
// The differential tests (fastpath_test.go) run
// every stock filter's samples and near-misses through this path and a
// reference path with all of it off, and require identical results.
//
// A Pipeline (pipeline.go) runs one filter over a stream of lines on
// every core with the same results: the searches of a single-line filter
// depend only on the line, so workers run them ahead, and the stateful
// rest (dates, sessions, ids) stays in line order. TestPipelineEquivalent
// compares it with ProcessLine on every stock filter's samples.
//
// Date detection is not skipped for lines the prefilters would reject:
// the last date, and the detector's template order, depend on every line
// (fail2ban's processLine always detects first).
//
// Known limits: Python's $ (end, or before a final newline) is written as
// (?m:$) for RE2, exact for the one-line texts fail2ban searches; texts
// with an inner newline go to regexp2. \S, \W and \D inside a character
// class on non-ASCII text, like \b, use regexp2's .NET classes, which
// differ from Python's for a few exotic code points.
//
// The package knows nothing about configuration files: the server (or the
// tester) resolves a filter definition into Options. It is kept apart from
// the backends and actions so that the server and the fail2ban-regex
// replacement share one matcher.
package filter
