package datedetect

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
)

// The epoch number regexes fail2ban uses (short and long form).
const (
	epochShortRE = `\d{10,11}\b(?:\.\d{3,6})?`
	epochLongRE  = `\d{10,11}(?:\d{3}(?:\.\d{1,6}|\d{3})?)?`
)

// The package's regexes are compiled on first use, not at start-up: a
// client run that only reads the configuration never needs them.
var (
	reEpochPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\{L?EPOCH\}`) })
	reDatePattern  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\{DATE\}`) })
)

// lazyRegexp returns a function that compiles expr on its first call and
// then returns the same regexp.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// builder creates templates; it carries the per-detector %ExY regex.
type builder struct {
	exY string
}

// replaceUnescaped replaces every match of re in s that is not preceded by
// a backslash (fail2ban's (?<!\\) guard) with repl(match).
func replaceUnescaped(re *regexp.Regexp, s string, repl func(string) string) (string, bool) {
	var b strings.Builder
	last, found := 0, false
	for _, loc := range re.FindAllStringIndex(s, -1) {
		if loc[0] > 0 && s[loc[0]-1] == '\\' {
			continue
		}
		found = true
		b.WriteString(s[last:loc[0]])
		b.WriteString(repl(s[loc[0]:loc[1]]))
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String(), found
}

// patternKey is fail2ban's cache key: the pattern, upper-cased when it
// holds no % directive.
func patternKey(pattern string) string {
	if strings.Contains(pattern, "%") {
		return pattern
	}
	return strings.ToUpper(pattern)
}

// fromPattern mirrors _getPatternTemplate: the epoch and TAI64N keywords,
// otherwise a strptime pattern.
func (b *builder) fromPattern(pattern, key string) (*template, error) {
	if key == "" {
		key = patternKey(pattern)
	}
	ck := b.exY + "\x00" + key + "\x00" + pattern
	if t, ok := templateCache.Load(ck); ok {
		return t.(*template), nil
	}
	t, err := b.fromPatternKey(pattern, key)
	if err == nil {
		if isAnchoredDefaultKey(key) {
			// fail2ban caches templates by key process-wide and gives the
			// anchored default copies weight 100, so a datepattern line
			// equal to one of them shares that weight.
			t.weight = 100
		}
		if templateCacheSize.Add(1) <= maxCachedTemplates {
			templateCache.Store(ck, t)
		}
	}
	return t, err
}

// Built templates are immutable (per-detector statistics live in entry),
// so they are shared between detectors like fail2ban's template cache.
var (
	templateCache     sync.Map // string → *template
	templateCacheSize atomic.Int64
)

// maxCachedTemplates bounds the cache against endless distinct patterns.
const maxCachedTemplates = 2000

// isAnchoredDefaultKey reports the cache keys of the {^LN-BEG} copies of
// the default templates.
func isAnchoredDefaultKey(key string) bool {
	if key == "{^LN-BEG}EPOCH" || key == "{^LN-BEG}TAI64N" {
		return true
	}
	p, ok := strings.CutPrefix(key, "{^LN-BEG}")
	if !ok {
		return false
	}
	for _, d := range defaultPatterns {
		if d == p && !strings.HasPrefix(d, "^") && !strings.HasPrefix(d, "{") {
			return true
		}
	}
	return false
}

func (b *builder) fromPatternKey(pattern, key string) (*template, error) {
	if strings.Contains(key, "EPOCH") {
		if _, found := replaceUnescaped(reEpochPattern(), pattern, func(s string) string { return s }); found {
			return b.epochPattern(pattern, strings.Contains(key, "LEPOCH"))
		}
		switch key {
		case "EPOCH", "{^LN-BEG}EPOCH", "^EPOCH":
			return b.epoch(key != "EPOCH", false), nil
		case "LEPOCH", "{^LN-BEG}LEPOCH", "^LEPOCH":
			return b.epoch(key != "LEPOCH", true), nil
		}
	}
	switch key {
	case "TAI64N", "{^LN-BEG}TAI64N", "^TAI64N":
		return b.tai64n(key != "TAI64N"), nil
	}
	return b.strptime(pattern, boundWord, true)
}

// strptime builds a DatePatternRegex template.
func (b *builder) strptime(pattern string, begin boundMode, wordEnd bool) (*template, error) {
	t := &template{pattern: pattern, weight: 1, kind: kindStrptime}
	p := pattern
	if strings.HasPrefix(p, "{UNB}") {
		p, begin, wordEnd = p[len("{UNB}"):], boundNone, false
	}
	if begin != boundNone && strings.HasPrefix(p, "{^LN-BEG}") {
		p, begin = p[len("{^LN-BEG}"):], boundLine
	}
	regex, name, err := expandDirectives(p, b.exY)
	if err != nil {
		return nil, fmt.Errorf("datepattern %q: %w", pattern, err)
	}
	if hasAlphaDirective(p) {
		regex = "(?iu)" + regex
	}
	t.name = name
	if err := t.build(regex, begin, wordEnd); err != nil {
		return nil, fmt.Errorf("datepattern %q: %w", pattern, err)
	}
	b.useHand(t)
	return t, nil
}

var reCentury = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\(\?P<Y>20\[([0-9]+)\]\\d\)$`) })

// useHand switches a template to a hand-written matcher when it is an
// anchored form of default template 1 or 2 and %ExY has the usual shape.
func (b *builder) useHand(t *template) {
	kind, lb := handFor(t.pattern)
	sub := reCentury().FindStringSubmatch(b.exY)
	if kind == handNone || sub == nil || t.m == nil || t.m.fast == nil {
		return
	}
	if want := 2 + len(handFields[kind]); t.m.npy != want-1 {
		return
	}
	t.m.hand, t.m.handLB, t.m.handCent = kind, lb, sub[1]
	for i := 0; i < len(sub[1]); i++ {
		t.m.handCentSet |= 1 << (sub[1][i] & 63)
	}
}

// hasAlphaDirective reports %a %A %b %B %p or %c not preceded by a %.
func hasAlphaDirective(p string) bool {
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '%' && strings.IndexByte("aAbBpc", p[i+1]) >= 0 && (i == 0 || p[i-1] != '%') {
			return true
		}
	}
	return false
}

// build runs setRegex and compiles the matcher.
func (t *template) build(regex string, begin boundMode, wordEnd bool) error {
	gf, body := t.setRegex(regex, begin, wordEnd)
	if t.special {
		return nil
	}
	m, err := newMatcher(gf, body, t.flags&flagWordBegin != 0, t.flags&flagWordEnd != 0)
	if err != nil {
		return err
	}
	t.m = m
	return nil
}

// epochPattern builds a template from a pattern holding {EPOCH}/{LEPOCH}.
func (b *builder) epochPattern(pattern string, long bool) (*template, error) {
	re := epochShortRE
	if long {
		re = epochLongRE
	}
	regex, _ := replaceUnescaped(reEpochPattern(), pattern, func(string) string { return "(" + re + ")" })
	t := &template{name: pattern, pattern: pattern, weight: 1, kind: kindEpoch, longFrm: long, grpIdx: 2}
	if err := t.build("("+regex+")", boundWord, true); err != nil {
		return nil, fmt.Errorf("datepattern %q: %w", pattern, err)
	}
	return t, nil
}

// epoch builds the built-in Epoch / LongEpoch template.
func (b *builder) epoch(lineBegin, long bool) *template {
	t := &template{name: "Epoch", weight: 1, kind: kindEpoch, longFrm: long, grpIdx: 1, special: true}
	re := epochShortRE
	if long {
		t.name, re = "LongEpoch", epochLongRE
	}
	if lineBegin {
		_ = t.build(`((?P<square>(?<=^\[))?`+re+`)(?(square)(?=\]))`, boundLine, true)
	} else {
		_ = t.build(`((?:^|(?P<square>(?<=^\[))|(?P<selinux>(?<=\baudit\()))`+re+
			`)(?:(?(selinux)(?=:\d+\)))|(?(square)(?=\])))`, boundNone, true)
	}
	return t
}

// tai64n builds the TAI64N template.
func (b *builder) tai64n(lineBegin bool) *template {
	t := &template{name: "TAI64N", weight: 1, kind: kindTAI64N, special: true}
	begin := boundNone
	if lineBegin {
		begin = boundLine
	}
	_ = t.build("@[0-9a-f]{24}", begin, true)
	return t
}

// unboundPattern strips the boundary markers from a pattern before it is
// substituted for {DATE}.
func unboundPattern(p string) string {
	p = strings.TrimPrefix(p, "{UNB}")
	p = strings.TrimPrefix(p, "{^LN-BEG}")
	for _, pre := range []string{`(^|\b|\W)`, `(?:^|\b|\W)`} {
		p = strings.TrimPrefix(p, pre)
	}
	return strings.TrimSuffix(p, `(?=\b|\W|$)`)
}

// anchored mirrors _getAnchoredTemplate: the template rebuilt from
// wrap(pattern), or for the built-ins from wrap(name).
func (b *builder) anchored(t *template, wrap func(string) (string, error)) (*template, error) {
	src := t.name
	if t.kind == kindStrptime || t.pattern != "" {
		src = t.pattern
	}
	p, err := wrap(src)
	if err != nil {
		return nil, err
	}
	return b.fromPattern(p, "")
}
