package filter

import (
	"context"
	"log/slog"
	"net/netip"
	"slices"
	"time"
)

// usedns policy values (fail2ban's usedns option).
const (
	UseDNSYes  = "yes"
	UseDNSWarn = "warn"
	UseDNSNo   = "no"
	UseDNSRaw  = "raw"
)

// Resolver turns a host name into addresses; *net.Resolver satisfies it.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// DateMatch is a timestamp found in a line: [Start, End) is the date text
// (template group 1) that is cut out of the line before matching.
type DateMatch struct {
	Time     time.Time
	Start    int
	End      int
	Template int
}

// DateFinder locates the timestamp of a line. New builds one from
// Options.DatePattern unless Options.Dates is set.
type DateFinder interface {
	FindDate(line string) (DateMatch, bool)
}

// Options configure a Filter. Regexes are in Python re syntax with
// fail2ban tags, after config interpolation.
type Options struct {
	FailRegex   []string
	IgnoreRegex []string
	PrefRegex   string
	DatePattern string // "" = fail2ban's default templates
	LogTimezone string // "" = local time
	// Local is the process time zone for dates without one (nil =
	// time.Local); tests pin it.
	Local    *time.Location
	MaxLines int    // 0 or 1 = single-line
	UseDNS   string // yes, warn (default), no, raw
	Resolver Resolver
	Dates    DateFinder // overrides DatePattern/LogTimezone when set
	// CheckAll is fail2ban-regex mode: every failregex is tried and
	// reported, the date of a line without one stays unknown.
	CheckAll     bool
	MatchTimeout time.Duration // regexp2 search limit; 0 = DefaultMatchTimeout
	Logger       *slog.Logger
	// Cache, when set, hands New regexes that its caller compiled
	// already with the same options (see RegexCache).
	Cache *RegexCache
	Now   func() time.Time
}

// DefaultOptions returns the defaults of a fail2ban filter.
func DefaultOptions() Options {
	return Options{MaxLines: 1, UseDNS: UseDNSWarn}
}

func (o *Options) setDefaults() {
	o.FailRegex = slices.Clone(o.FailRegex)
	o.IgnoreRegex = slices.Clone(o.IgnoreRegex)
	if o.MaxLines < 1 {
		o.MaxLines = 1
	}
	if o.UseDNS == "" {
		o.UseDNS = UseDNSWarn
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MatchTimeout <= 0 {
		o.MatchTimeout = DefaultMatchTimeout
	}
}
