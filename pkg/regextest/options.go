package regextest

// DefaultConfigDir is fail2ban-regex's default -c value.
const DefaultConfigDir = "/etc/fail2ban"

// defaultPrintLimit is how many missed/ignored lines are listed when -L
// is not given.
const defaultPrintLimit = 20

// Options is a parsed fail2ban-regex command line.
type Options struct {
	Config      string // -c: config base dir for filter names
	DatePattern string // -d; only used when DatePatternSet
	// DatePatternSet records that -d was given (an empty pattern counts).
	DatePatternSet  bool
	Timezone        string // --timezone/--TZ
	Encoding        string // -e; "" = the locale's
	Raw             bool   // -r: captured host text is the id
	UseDNS          string // --usedns; "" = the filter default (warn)
	MaxLines        int    // -L; 0 = not given
	JournalMatch    string // -m (shell-split)
	JournalMatchSet bool
	LogLevel        string // -l
	Verbose         int    // -v count or --verbosity
	VerboseDate     bool   // --VD
	Debuggex        bool   // -D
	NoCheckAll      bool   // --no-check-all
	Out             string // -o; "" = full report
	PrintNoMissed   bool
	PrintNoIgnored  bool
	PrintAllMatched bool
	PrintAllMissed  bool
	PrintAllIgnored bool
	LogTraceback    bool // -t
	FullTraceback   bool

	Help         bool // -h/--help
	Version      bool // --version
	ShortVersion bool // -V

	// Args are the positional arguments: LOG REGEX [IGNOREREGEX].
	Args []string
}

// DefaultOptions returns fail2ban-regex's defaults.
func DefaultOptions() Options {
	return Options{Config: DefaultConfigDir, LogLevel: "critical"}
}

// printLimit is the number of missed/ignored lines listed in full.
func (o *Options) printLimit() int {
	if o.MaxLines > 0 {
		return o.MaxLines
	}
	return defaultPrintLimit
}
