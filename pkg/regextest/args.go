package regextest

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// UsageError is a command-line error optparse reports as "usage: …" plus
// "error: <Msg>" on stderr with exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// optKind says what an option does with its value.
type optKind int

const (
	optFlag  optKind = iota // store_true
	optCount                // -v
	optString
	optInt
)

type optSpec struct {
	short string // "-c" or ""
	long  []string
	kind  optKind
	set   func(o *Options, v string, n int)
}

// optTable is fail2ban-regex's option list (get_opt_parser).
var optTable = []optSpec{
	{"-h", []string{"--help"}, optFlag, func(o *Options, _ string, _ int) { o.Help = true }},
	{"", []string{"--version"}, optFlag, func(o *Options, _ string, _ int) { o.Version = true }},
	{"-c", []string{"--config"}, optString, func(o *Options, v string, _ int) { o.Config = v }},
	{"-d", []string{"--datepattern"}, optString, func(o *Options, v string, _ int) { o.DatePattern, o.DatePatternSet = v, true }},
	{"", []string{"--timezone", "--TZ"}, optString, func(o *Options, v string, _ int) { o.Timezone = v }},
	{"-e", []string{"--encoding"}, optString, func(o *Options, v string, _ int) { o.Encoding = v }},
	{"-r", []string{"--raw"}, optFlag, func(o *Options, _ string, _ int) { o.Raw = true }},
	{"", []string{"--usedns"}, optString, func(o *Options, v string, _ int) { o.UseDNS = v }},
	{"-L", []string{"--maxlines"}, optInt, func(o *Options, _ string, n int) { o.MaxLines = n }},
	{"-m", []string{"--journalmatch"}, optString, func(o *Options, v string, _ int) { o.JournalMatch, o.JournalMatchSet = v, true }},
	{"-l", []string{"--log-level"}, optString, func(o *Options, v string, _ int) { o.LogLevel = v }},
	{"-V", nil, optFlag, func(o *Options, _ string, _ int) { o.ShortVersion = true }},
	{"-v", []string{"--verbose"}, optCount, func(o *Options, _ string, _ int) { o.Verbose++ }},
	{"", []string{"--verbosity"}, optInt, func(o *Options, _ string, n int) { o.Verbose = n }},
	{"", []string{"--verbose-date", "--VD"}, optFlag, func(o *Options, _ string, _ int) { o.VerboseDate = true }},
	{"-D", []string{"--debuggex"}, optFlag, func(o *Options, _ string, _ int) { o.Debuggex = true }},
	{"", []string{"--no-check-all"}, optFlag, func(o *Options, _ string, _ int) { o.NoCheckAll = true }},
	{"-o", []string{"--out"}, optString, func(o *Options, v string, _ int) { o.Out = v }},
	{"", []string{"--print-no-missed"}, optFlag, func(o *Options, _ string, _ int) { o.PrintNoMissed = true }},
	{"", []string{"--print-no-ignored"}, optFlag, func(o *Options, _ string, _ int) { o.PrintNoIgnored = true }},
	{"", []string{"--print-all-matched"}, optFlag, func(o *Options, _ string, _ int) { o.PrintAllMatched = true }},
	{"", []string{"--print-all-missed"}, optFlag, func(o *Options, _ string, _ int) { o.PrintAllMissed = true }},
	{"", []string{"--print-all-ignored"}, optFlag, func(o *Options, _ string, _ int) { o.PrintAllIgnored = true }},
	{"-t", []string{"--log-traceback"}, optFlag, func(o *Options, _ string, _ int) { o.LogTraceback = true }},
	{"", []string{"--full-traceback"}, optFlag, func(o *Options, _ string, _ int) { o.FullTraceback = true }},
}

// ParseArgs parses a fail2ban-regex command line (without the program
// name) the way Python's optparse does: options anywhere, "--opt=value"
// or "--opt value", unambiguous long prefixes, clustered short flags,
// "-Lvalue", and "--" ending the options. Errors are *UsageError.
func ParseArgs(args []string) (Options, error) {
	o := DefaultOptions()
	for i := 0; i < len(args); i++ {
		a := args[i]
		var err error
		switch {
		case a == "--":
			o.Args = append(o.Args, args[i+1:]...)
			return o, nil
		case strings.HasPrefix(a, "--"):
			i, err = parseLong(&o, args, i)
		case len(a) > 1 && a[0] == '-':
			i, err = parseShort(&o, args, i)
		default:
			o.Args = append(o.Args, a)
		}
		if err != nil {
			return o, err
		}
	}
	return o, nil
}

// matchLong resolves a long option or an unambiguous prefix of one.
func matchLong(name string) (*optSpec, string, error) {
	var hits []string
	var spec *optSpec
	for i := range optTable {
		for _, l := range optTable[i].long {
			if l == name {
				return &optTable[i], l, nil
			}
			if strings.HasPrefix(l, name) {
				hits = append(hits, l)
				spec = &optTable[i]
			}
		}
	}
	switch len(hits) {
	case 0:
		return nil, "", &UsageError{Msg: "no such option: " + name}
	case 1:
		return spec, hits[0], nil
	}
	sort.Strings(hits)
	return nil, "", &UsageError{Msg: fmt.Sprintf("ambiguous option: %s (%s?)", name, strings.Join(hits, ", "))}
}

func parseLong(o *Options, args []string, i int) (int, error) {
	name, val, hasVal := strings.Cut(args[i], "=")
	spec, full, err := matchLong(name)
	if err != nil {
		return i, err
	}
	if spec.kind == optFlag || spec.kind == optCount {
		if hasVal {
			return i, &UsageError{Msg: full + " option does not take a value"}
		}
		spec.set(o, "", 0)
		return i, nil
	}
	if !hasVal {
		if i+1 >= len(args) {
			return i, &UsageError{Msg: full + " option requires 1 argument"}
		}
		i++
		val = args[i]
	}
	return i, apply(o, spec, full, val)
}

func parseShort(o *Options, args []string, i int) (int, error) {
	a := args[i]
	for j := 1; j < len(a); j++ {
		spec := shortSpec(a[j])
		if spec == nil {
			return i, &UsageError{Msg: "no such option: -" + string(a[j])}
		}
		if spec.kind == optFlag || spec.kind == optCount {
			spec.set(o, "", 0)
			continue
		}
		val := a[j+1:]
		if val == "" {
			if i+1 >= len(args) {
				return i, &UsageError{Msg: spec.short + " option requires 1 argument"}
			}
			i++
			val = args[i]
		}
		return i, apply(o, spec, spec.short, val)
	}
	return i, nil
}

func shortSpec(c byte) *optSpec {
	for k := range optTable {
		if s := optTable[k].short; s != "" && s[1] == c {
			return &optTable[k]
		}
	}
	return nil
}

func apply(o *Options, spec *optSpec, name, val string) error {
	if spec.kind != optInt {
		spec.set(o, val, 0)
		return nil
	}
	n, err := pyIntArg(val)
	if err != nil {
		return &UsageError{Msg: fmt.Sprintf("option %s: invalid integer value: %s", name, pyval.Repr(val))}
	}
	spec.set(o, "", n)
	return nil
}

// pyIntArg is optparse's int check (Python int() with base prefixes).
func pyIntArg(s string) (int, error) {
	t := strings.TrimSpace(s)
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg, t = t[0] == '-', t[1:]
	}
	base := 10
	if len(t) > 2 && t[0] == '0' {
		switch t[1] {
		case 'x', 'X':
			base, t = 16, t[2:]
		case 'o', 'O':
			base, t = 8, t[2:]
		case 'b', 'B':
			base, t = 2, t[2:]
		}
	}
	if t == "" || strings.HasPrefix(t, "_") || strings.HasSuffix(t, "_") || strings.Contains(t, "__") {
		return 0, errors.New("invalid")
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(t, "_", ""), base, 32)
	if err != nil {
		return 0, err
	}
	if neg {
		n = -n
	}
	return int(n), nil
}

// Validate applies fail2ban-regex's checks after parsing; the messages
// are printed after the usage text, each on its own line.
func (o *Options) Validate() []string {
	var errs []string
	if o.PrintNoMissed && o.PrintAllMissed {
		errs = append(errs, "ERROR: --print-no-missed and --print-all-missed are mutually exclusive.")
	}
	if o.PrintNoIgnored && o.PrintAllIgnored {
		errs = append(errs, "ERROR: --print-no-ignored and --print-all-ignored are mutually exclusive.")
	}
	if len(o.Args) != 2 && len(o.Args) != 3 {
		errs = append(errs, "ERROR: provide both <LOG> and <REGEX>.")
	}
	return errs
}
