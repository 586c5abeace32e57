package filter

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Expansions of fail2ban's regex tags (fail2ban 1.0.2 spelling, the
// version the Debian tree this replaces ships).
const (
	tagIP4  = `(?:::f{4,6}:)?(?P<ip4>(?:\d{1,3}\.){3}\d{1,3})`
	tagIP6  = `(?P<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):))`
	tagDNS  = `(?P<dns>[\w\-.^_]*\w)`
	tagADDR = `\[?(?:` + tagIP4 + `|` + tagIP6 + `)\]?`
	tagHOST = `(?:` + tagADDR + `|` + tagDNS + `)`
	tagCIDR = `(?P<cidr>\d+)`
	tagSUBN = `\[?(?:` + tagIP4 + `|` + tagIP6 + `)(?:/` + tagCIDR + `)?\]?`
)

var (
	tagRE      = lazyRegexp(`</?[\w\-]+/?>`)
	fNameRE    = lazyRegexp(`^F-([A-Z0-9_\-]+)$`)
	globFlagRE = lazyRegexp(`\((?:\?:)?(\(\?[a-z]+)\)`)
)

// lazyRegexp returns a function that compiles expr on its first call:
// the package's own regexes are compiled when a filter is first built,
// not at init, so a program that links the package without building a
// filter (f2b-client) does not pay for them (~0.1 ms).
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// tagOpt maps a tag name to its group name (fail2ban's mapTag2Opt).
func tagOpt(tag string) string {
	switch t := strings.ToLower(tag); t {
	case "id":
		return "fid"
	case "port":
		return "fport"
	default:
		return t
	}
}

// ExpandTags replaces <HOST>, <ADDR>, <F-NAME>…</F-NAME> and the other
// fail2ban regex tags, left to right; unknown tags stay as literal text.
// useDNS "no" drops the host-name alternative of <HOST>.
func ExpandTags(expr, useDNS string) string {
	opened := map[string]bool{}
	skip := 0
	out := tagRE().ReplaceAllStringFunc(expr, func(tag string) string {
		if s, ok := simpleTag(tag[1:len(tag)-1], useDNS); ok {
			return s
		}
		if tag == "<SKIPLINES>" {
			s := fmt.Sprintf(`\n(?P<skiplines%d>(?:(?:.*\n)*?))`, skip)
			skip++
			return s
		}
		return fTag(tag, opened)
	})
	return globalFlagsToLocal(out)
}

func simpleTag(name, useDNS string) (string, bool) {
	switch name {
	case "IP4", "F-IP4/":
		return tagIP4, true
	case "IP6", "F-IP6/":
		return tagIP6, true
	case "DNS", "F-DNS/":
		return tagDNS, true
	case "ADDR", "F-ADDR/":
		return tagADDR, true
	case "HOST":
		if useDNS == "no" {
			return tagADDR, true
		}
		return tagHOST, true
	case "CIDR", "F-CIDR/":
		return tagCIDR, true
	case "SUBNET", "F-SUBNET/":
		return tagSUBN, true
	case "F-ID/":
		return `(?P<fid>\S+)`, true
	case "F-PORT/":
		return `(?P<fport>\w+)`, true
	}
	return "", false
}

// fTag handles <F-NAME> and </F-NAME>.
func fTag(tag string, opened map[string]bool) string {
	closing := strings.HasPrefix(tag, "</")
	inner := strings.TrimPrefix(tag[1:len(tag)-1], "/")
	m := fNameRE().FindStringSubmatch(inner)
	if m == nil {
		return tag
	}
	name := tagOpt(m[1])
	if !closing {
		opened[name] = true
		return "(?P<" + name + ">"
	}
	if opened[name] {
		return ")"
	}
	return tag
}

// globalFlagsToLocal rewrites "((?i)x)" and "(?:(?i)x)" to "(?i:x)": Python
// 3.11 rejects global flags anywhere but at the start, and fail2ban makes
// the same rewrite before compiling.
func globalFlagsToLocal(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range globFlagRE().FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && s[m[0]-1] == '\\' {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(s[m[2]:m[3]] + ":")
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}
