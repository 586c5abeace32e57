package datedetect

import (
	"strings"
)

// Template flags, as fail2ban sets them on a date template.
const (
	flagLineBegin = 8
	flagLineEnd   = 4
	flagWordBegin = 2
	flagWordEnd   = 1
)

// kind selects how a template extracts its timestamp.
type kind uint8

const (
	kindStrptime kind = iota // named %X groups
	kindEpoch                // seconds since the epoch (optionally long form)
	kindTAI64N               // @4000… label
)

// boundMode is fail2ban's wordBegin argument: no boundary, a word
// boundary, or the line-begin anchor of {^LN-BEG}.
type boundMode uint8

const (
	boundNone boundMode = iota
	boundWord
	boundLine
)

// template is one compiled date template. It is immutable once built and
// shared by every goroutine using the detector.
type template struct {
	name    string
	pattern string // the datepattern line it came from ("" for built-ins)
	regex   string // the Python regex fail2ban would compile
	flags   int
	weight  float64
	kind    kind
	longFrm bool // LEPOCH: 13+ digits are milli/microseconds
	grpIdx  int  // group holding an epoch number (1, or 2 for {EPOCH})
	special bool // matched by hand-written code instead of a regex
	m       *matcher
}

func (t *template) anchored() bool { return t.flags&(flagLineBegin|flagLineEnd) != 0 }

var (
	reGlobalFlags  = lazyRegexp(`\(\?[a-z]+\)`)
	reNoWordBegin  = lazyRegexp(`^\(*(?:\(\?\w+\))?(?:\^|\(*\*\*|\((?:\?:)?\^)`)
	reFlagPrefix   = lazyRegexp(`^\(\?\w+\)`)
	reGroupWrap    = lazyRegexp(`^((?:\(\?\w+\))?\^?(?:\(\?\w+\))?)(.*?)(\$?)$`)
	reDelBoundsBeg = lazyRegexp(`^\(*(?:\(\?\w+\))?\(*\*\*`)
)

// setRegex finishes a template regex as fail2ban's DateTemplate.setRegex
// does: cut the first inline flag group, wrap the body in group 1 unless the
// author wrote a plain group, add the begin/end boundaries, derive the
// anchoring flags and drop the `**` boundary suppressors.
func (t *template) setRegex(regex string, begin boundMode, wordEnd bool) (gf, body string) {
	regex = pyStrip(regex)
	gf = reGlobalFlags().FindString(regex)
	if gf != "" {
		i := strings.Index(regex, gf)
		regex = regex[:i] + regex[i+len(gf):]
	}
	boundBegin := begin != boundNone && !reNoWordBegin().MatchString(regex)
	boundEnd := wordEnd && !noWordEnd(regex)
	if !hasPlainGroup(regex) {
		regex = reGroupWrap().ReplaceAllString(regex, "$1($2)$3")
	}
	t.flags = 0
	prefix, suffix := "", ""
	if boundBegin {
		if begin == boundLine {
			t.flags |= flagLineBegin
			regex = `^(?:\W{0,2})?` + regex
			if !strings.HasPrefix(t.name, "{^LN-BEG}") {
				t.name = "{^LN-BEG}" + t.name
			}
		} else {
			t.flags |= flagWordBegin
			prefix = `(?=^|\b|\W)`
		}
	}
	if boundEnd {
		t.flags |= flagWordEnd
		suffix = `(?=\b|\W|$)`
	}
	if t.flags&flagLineBegin == 0 && lineBegins(prefix+regex) {
		t.flags |= flagLineBegin
	}
	if lineEnds(regex + suffix) {
		t.flags |= flagLineEnd
	}
	body = delWordBounds(regex)
	t.regex = gf + prefix + body + suffix
	return gf, body
}

// lineBegins reports a regex starting (after an optional inline flag
// group) with ^, (^ or (?:^ — but not (^| or (?:^|.
func lineBegins(regex string) bool {
	if loc := reFlagPrefix().FindStringIndex(regex); loc != nil {
		regex = regex[loc[1]:]
	}
	if strings.HasPrefix(regex, "^") {
		return true
	}
	for _, p := range []string{"(^", "(?:^"} {
		if strings.HasPrefix(regex, p) && !strings.HasPrefix(regex[len(p):], "|") {
			return true
		}
	}
	return false
}

// lineEnds reports a regex ending with $ or $) whose $ is not escaped and
// does not follow a |.
func lineEnds(regex string) bool {
	r := strings.TrimSuffix(regex, ")")
	if !strings.HasSuffix(r, "$") {
		return false
	}
	if len(r) >= 2 && (r[len(r)-2] == '\\' || r[len(r)-2] == '|') {
		return false
	}
	return true
}

// noWordEnd reports whether fail2ban skips the end boundary: the regex ends
// with an unescaped $ or $), with \b or \s, or with ** (plus any `)`).
func noWordEnd(regex string) bool {
	unescapedAt := func(i int) bool { return i == 0 || regex[i-1] != '\\' }
	n := len(regex)
	switch {
	case strings.HasSuffix(regex, "$)"):
		return unescapedAt(n - 2)
	case strings.HasSuffix(regex, "$"):
		return unescapedAt(n - 1)
	case strings.HasSuffix(regex, `\b`), strings.HasSuffix(regex, `\s`):
		return unescapedAt(n - 2)
	}
	r := strings.TrimRight(regex, ")")
	return strings.HasSuffix(r, "**") && unescapedAt(len(r)-2)
}

// delWordBounds removes the `**` markers at the very start and end.
func delWordBounds(regex string) string {
	if loc := reDelBoundsBeg().FindStringIndex(regex); loc != nil {
		regex = strings.Replace(regex[:loc[1]], "**", "", -1) + regex[loc[1]:]
	}
	r := strings.TrimRight(regex, ")")
	if strings.HasSuffix(r, "**") && (len(r) == 2 || r[len(r)-3] != '\\') {
		regex = r[:len(r)-2] + regex[len(r):]
	}
	return regex
}

// hasPlainGroup reports an unescaped `(` not followed by `?` and not
// preceded by `(?` — a group the pattern author numbered themselves.
func hasPlainGroup(regex string) bool {
	for i := 0; i < len(regex); i++ {
		if regex[i] != '(' {
			continue
		}
		if i+1 < len(regex) && regex[i+1] == '?' {
			continue
		}
		if i >= 1 && regex[i-1] == '\\' {
			continue
		}
		if i >= 2 && regex[i-2:i] == "(?" {
			continue
		}
		return true
	}
	return false
}

// pyStrip trims what Python's str.strip() trims.
func pyStrip(s string) string {
	return strings.TrimFunc(s, isPySpace)
}
