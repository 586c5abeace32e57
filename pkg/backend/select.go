package backend

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Kind is the backend a jail ends up with.
type Kind string

// The backends fail2ban 1.0.2 knows, in its fallback order.
const (
	KindPyinotify Kind = "pyinotify"
	KindGamin     Kind = "gamin"
	KindPolling   Kind = "polling"
	KindSystemd   Kind = "systemd"
)

// Select resolves a backend name (without its [options]) the way fail2ban's
// Jail does: case-insensitive; "auto" is pyinotify (never systemd); gamin is
// not available, so it falls back to polling, and fellBack reports that the
// caller should log "Could only initiated 'polling' backend whenever 'gamin'
// was requested". The error text is fail2ban's ValueError message.
func Select(name string) (kind Kind, fellBack bool, err error) {
	switch n := strings.ToLower(name); n {
	case "auto", string(KindPyinotify):
		return KindPyinotify, false, nil
	case string(KindGamin):
		return KindPolling, true, nil
	case string(KindPolling), string(KindSystemd):
		return Kind(n), false, nil
	}
	//lint:ignore ST1005 this is fail2ban's ValueError text, shown to the client verbatim
	return "", false, fmt.Errorf("Unknown backend %s. Must be among ['pyinotify', 'gamin', 'polling', 'systemd'] or 'auto'", strings.ToLower(name))
}

// Mode returns the file mode for a file backend kind.
func (k Kind) Mode() Mode {
	if k == KindPolling {
		return ModePolling
	}
	return ModeInotify
}

// splitWordsRE matches fail2ban's splitwords separators.
var splitWordsRE = regexp.MustCompile(`[ ,\n]+`)

// splitWords splits on commas, spaces and newlines, dropping empty words.
func splitWords(s string) []string {
	var out []string
	for _, w := range splitWordsRE.Split(s, -1) {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// ParseJournalOptions turns the options of "systemd[k=v, ...]" into
// JournalOptions: journalpath, journalfiles (words split on commas, spaces
// and newlines, each a glob), journalflags (an integer), namespace and
// rotated (1.1; accepted, the default reader already opens rotated files).
// Other options are an error, as in fail2ban.
func ParseJournalOptions(args map[string]string) (JournalOptions, error) {
	var o JournalOptions
	for k, v := range args {
		switch k {
		case "journalpath":
			o.Path = v
		case "journalfiles":
			o.Files = splitWords(v)
		case "journalflags":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return JournalOptions{}, fmt.Errorf("journalflags: invalid integer (got %q)", v)
			}
			o.Flags = n
		case "namespace":
			o.Namespace = v
		case "rotated":
		default:
			return JournalOptions{}, fmt.Errorf("backend systemd: unexpected option %q", k)
		}
	}
	return o, nil
}
