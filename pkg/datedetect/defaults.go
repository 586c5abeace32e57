package datedetect

import (
	"fmt"
	"strings"
)

// defaultPatterns are fail2ban's DEFAULT_TEMPLATES (1.0.2), in order.
var defaultPatterns = []string{
	`%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?`,
	`(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`,
	`(?:%a )?%b %d %ExY %k:%M:%S(?:\.%f)?`,
	`%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S`,
	`%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\.%f)?(?: %z)?`,
	`%m/%d/%ExY:%H:%M:%S`,
	`%m-%d-%ExY %k:%M:%S(?:\.%f)?`,
	`EPOCH`,
	`{^LN-BEG}%H:%M:%S`,
	`^<%m/%d/%Exy@%H:%M:%S>`,
	`%Exy%Exm%Exd  ?%H:%M:%S`,
	`%b %d, %ExY %I:%M:%S %p`,
	`^%b-%d-%Exy %k:%M:%S`,
	`%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\s*%z)?`,
	`(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`,
	`(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`,
	`TAI64N`,
}

// defaults17 builds the DEFAULT_TEMPLATES list.
func (b *builder) defaults17() ([]*template, error) {
	out := make([]*template, 0, len(defaultPatterns))
	for _, p := range defaultPatterns {
		t, err := b.fromPattern(p, "")
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// defaults31 builds fail2ban's default detector list: a {^LN-BEG} copy with
// weight 100 of every template not anchored already, then the originals.
func (b *builder) defaults31() ([]*template, error) {
	base, err := b.defaults17()
	if err != nil {
		return nil, err
	}
	var anchored, plain []*template
	for _, t := range base {
		if !strings.HasPrefix(t.name, "{^LN-BEG}") && !strings.HasPrefix(t.name, "^") {
			a, err := b.anchored(t, func(s string) (string, error) { return "{^LN-BEG}" + s, nil })
			if err != nil {
				return nil, err
			}
			anchored = append(anchored, a)
		}
		plain = append(plain, t)
	}
	return append(anchored, plain...), nil
}

// withDate builds one template per default template with {DATE} in
// preMatch replaced by that template's unbounded pattern.
func (b *builder) withDate(preMatch string) ([]*template, error) {
	base, err := b.defaults17()
	if err != nil {
		return nil, err
	}
	wrap := func(s string) (string, error) {
		out, _ := replaceUnescaped(reDatePattern(), preMatch, func(string) string { return unboundPattern(s) })
		return out, nil
	}
	out := make([]*template, 0, len(base))
	for _, t := range base {
		a, err := b.anchored(t, wrap)
		if err != nil {
			return nil, fmt.Errorf("datepattern %q: %w", preMatch, err)
		}
		out = append(out, a)
	}
	return out, nil
}
