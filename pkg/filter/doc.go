// Package filter turns log lines into failures the way fail2ban's filter
// does (fail2ban/server/failregex.py and fail2ban/server/filter.py):
// failregex, ignoreregex and prefregex with <F-CONTENT>, the <HOST>,
// <ADDR>, <F-ID> … tags, maxlines buffers with <SKIPLINES>, mlfid
// sessions (<F-MLFID>, <F-NOFAIL>, <F-MLFGAINED>, <F-MLFFORGET>) and the
// usedns policy.
//
// Filters are written in Python's re dialect. Each pattern is translated
// and compiled with Go's linear-time regexp whenever possible; patterns
// that need lookarounds, conditional groups or back-references fall back
// to github.com/dlclark/regexp2 with a match timeout, so that no pattern
// can stall a jail. Regex.Engine reports which engine a pattern got.
//
// The package knows nothing about configuration files: the server (or the
// tester) resolves a filter definition into Options. It is kept apart from
// the backends and actions so that both the server and the fail2ban-regex
// replacement share one matcher.
package filter
