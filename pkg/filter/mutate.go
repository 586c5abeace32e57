package filter

import (
	"errors"
	"fmt"
	"strings"
)

// The methods below mirror the per-jail `set` commands of fail2ban's
// server (addfailregex, delfailregex, prefregex, maxlines, usedns,
// datepattern, logtimezone …). As in fail2ban, a regex is compiled with
// the settings in force when it is added: MULTILINE only if maxlines > 1
// at that moment, <HOST> per the usedns value at that moment, and the
// failure-id check against the prefregex set at that moment.

// ErrBadIndex reports a delfailregex/delignoreregex index out of range.
var ErrBadIndex = errors.New("regex index out of range")

// AddFailRegex compiles and appends one failregex.
func (f *Filter) AddFailRegex(expr string) error {
	f.reshaped()
	r, err := f.compile(expr, f.o.MaxLines > 1)
	if err != nil {
		return fmt.Errorf("failregex %q: %w", expr, err)
	}
	if !hasAny(r.Names(), idGroups) && (f.pref == nil || !hasAny(f.pref.Names(), idGroups)) {
		return fmt.Errorf("no failure-id group in %q", r.Expr())
	}
	f.fail = append(f.fail, r)
	f.o.FailRegex = append(f.o.FailRegex, expr)
	return nil
}

// DelFailRegex removes the failregex at index; a negative index removes
// all of them.
func (f *Filter) DelFailRegex(index int) error {
	f.reshaped()
	var err error
	f.fail, f.o.FailRegex, err = delAt(f.fail, f.o.FailRegex, index)
	return err
}

// AddIgnoreRegex compiles and appends one ignoreregex.
func (f *Filter) AddIgnoreRegex(expr string) error {
	f.reshaped()
	r, err := f.compile(expr, false)
	if err != nil {
		return fmt.Errorf("ignoreregex %q: %w", expr, err)
	}
	f.ignore = append(f.ignore, r)
	f.o.IgnoreRegex = append(f.o.IgnoreRegex, expr)
	return nil
}

// DelIgnoreRegex removes the ignoreregex at index (negative: all).
func (f *Filter) DelIgnoreRegex(index int) error {
	f.reshaped()
	var err error
	f.ignore, f.o.IgnoreRegex, err = delAt(f.ignore, f.o.IgnoreRegex, index)
	return err
}

func delAt(rs []*Regex, exprs []string, index int) ([]*Regex, []string, error) {
	switch {
	case index < 0:
		return nil, nil, nil
	case index >= len(rs):
		return rs, exprs, fmt.Errorf("index %d: %w", index, ErrBadIndex)
	}
	return append(rs[:index:index], rs[index+1:]...), append(exprs[:index:index], exprs[index+1:]...), nil
}

// SetPrefRegex sets the prefregex; "" (or blanks) removes it.
func (f *Filter) SetPrefRegex(expr string) error {
	f.reshaped()
	if strings.TrimSpace(expr) == "" {
		f.pref, f.o.PrefRegex = nil, ""
		return nil
	}
	r, err := f.compile(expr, false)
	if err != nil {
		return fmt.Errorf("prefregex %q: %w", expr, err)
	}
	f.pref, f.o.PrefRegex = r, expr
	return nil
}

// SetMaxLines sets the line buffer size (values below 1 mean 1). Only
// failregexes added afterwards are compiled multi-line.
func (f *Filter) SetMaxLines(n int) {
	f.reshaped()
	f.o.MaxLines = max(n, 1)
	if len(f.buf) > f.o.MaxLines {
		f.buf = append([]line(nil), f.buf[len(f.buf)-f.o.MaxLines:]...)
	}
}

// SetUseDNS sets the usedns policy. Like fail2ban, an unknown value
// becomes "no"; the error says so.
func (f *Filter) SetUseDNS(v string) error {
	f.reshaped()
	v = strings.ToLower(strings.TrimSpace(v))
	switch v {
	case UseDNSYes, UseDNSWarn, UseDNSNo, UseDNSRaw:
		f.o.UseDNS = v
		return nil
	}
	f.o.UseDNS = UseDNSNo
	return fmt.Errorf("usedns: incorrect value %q, using \"no\"", v)
}

// SetDatePattern replaces the date detector ("" = default templates).
func (f *Filter) SetDatePattern(p string) error {
	o := f.o
	o.DatePattern = p
	d, err := newDetector(o)
	if err != nil {
		return err
	}
	f.o.DatePattern, f.detector, f.dates = p, d, detectorDates{d}
	return nil
}

// SetLogTimezone sets logtimezone and rebuilds the date detector.
func (f *Filter) SetLogTimezone(tz string) error {
	o := f.o
	o.LogTimezone = tz
	d, err := newDetector(o)
	if err != nil {
		return err
	}
	f.o.LogTimezone, f.detector, f.dates = tz, d, detectorDates{d}
	return nil
}

// MaxLines returns the line buffer size.
func (f *Filter) MaxLines() int { return f.o.MaxLines }

// UseDNS returns the usedns policy.
func (f *Filter) UseDNS() string { return f.o.UseDNS }

// DatePattern returns the datepattern as set ("" = defaults).
func (f *Filter) DatePattern() string { return f.o.DatePattern }

// LogTimezone returns logtimezone as set.
func (f *Filter) LogTimezone() string { return f.o.LogTimezone }
