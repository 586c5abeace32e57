package config

import (
	"fmt"
	"strings"
	"sync"

	"github.com/dlclark/regexp2"
)

// The argument-list grammar (spec §1.6) relies on backtracking and
// look-ahead (an entry ends where whitespace follows), which RE2 cannot
// express; these patterns run on regexp2 and only over short option values.
// They are compiled on first use (compiling both costs ~0.3 ms): argsFast
// and splitActionsFast spare nearly every run both.
var (
	argExtractRE = sync.OnceValue(func() *regexp2.Regexp {
		return regexp2.MustCompile(
			`\G\s*([\w\-_\.]+)=(?:"([^"]*)"|'([^']*)'|([^,\]]*))(?:,|\]\s*\[|$|(?<wrngA>.+))|\G,?\s*$|\G(?<wrngB>.+)`,
			regexp2.Singleline)
	})
	argSplitRE = sync.OnceValue(func() *regexp2.Regexp {
		return regexp2.MustCompile(
			`(?:[^\[\s]+(?:\s*\[\s*(?:[\w\-_\.]+=(?:"[^"]*"|'[^']*'|[^,\]]*)\s*(?:,|\]\s*\[)?\s*)*\])?\s*|\S+)(?=\n\s*|\s+|$)`,
			regexp2.Singleline)
	})
)

// Arg is one key=value of a name[...] list.
type Arg struct{ Key, Value string }

// Args parses "name[k=v, k2="a,b"]" into the name (not stripped, as
// fail2ban does) and its options in order (a repeated key keeps its first
// position and its last value).
func Args(spec string) (string, []Arg, error) {
	name, opts, ok := splitSpec(spec)
	if !ok {
		return "", nil, fmt.Errorf("unexpected option syntax")
	}
	if opts == "" || !strings.ContainsRune(opts, '=') && pyStrip(opts) == "" {
		return name, nil, nil
	}
	if out, ok := argsFast(opts); ok {
		return name, out, nil
	}
	out, err := argsSlow(opts)
	if err != nil {
		return "", nil, err
	}
	return name, out, nil
}

// argsSlow runs the full grammar on regexp2.
func argsSlow(opts string) ([]Arg, error) {
	var out []Arg
	m, err := argExtractRE().FindStringMatch(opts)
	for ; m != nil && err == nil; m, err = argExtractRE().FindNextMatch(m) {
		if g := m.GroupByName("wrngA"); len(g.Captures) > 0 {
			return nil, fmt.Errorf("unexpected syntax at %d after option %q: %s",
				g.Index, m.GroupByNumber(1).String(), trunc(g.String(), 25))
		}
		if g := m.GroupByName("wrngB"); len(g.Captures) > 0 {
			return nil, fmt.Errorf("expected option, wrong syntax at %d: %s", g.Index, trunc(g.String(), 25))
		}
		key := m.GroupByNumber(1)
		if len(key.Captures) == 0 || key.String() == "" {
			continue
		}
		val := ""
		for _, n := range []int{2, 3, 4} {
			if g := m.GroupByNumber(n); len(g.Captures) > 0 {
				val = g.String()
				break
			}
		}
		out = setArg(out, strings.TrimSpace(key.String()), pyStrip(val))
	}
	if err != nil {
		return nil, fmt.Errorf("parsing options %q: %w", opts, err)
	}
	return out, nil
}

func setArg(list []Arg, k, v string) []Arg {
	for i := range list {
		if list[i].Key == k {
			list[i].Value = v
			return list
		}
	}
	return append(list, Arg{k, v})
}

// splitSpec applies ^([^\[]+)(?:\[(.*)\])?\s*$ (dot matches newline).
func splitSpec(s string) (name, opts string, ok bool) {
	i := strings.IndexByte(s, '[')
	if i < 0 {
		return s, "", s != ""
	}
	if i == 0 {
		return "", "", false
	}
	name = s[:i]
	rest := strings.TrimRightFunc(s[i:], isPySpace)
	if !strings.HasSuffix(rest, "]") {
		return "", "", false
	}
	return name, rest[1 : len(rest)-1], true
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// splitActions splits an action value into its entries (spec §1.6).
func splitActions(s string) []string {
	if s == "" {
		return nil
	}
	if out, ok := splitActionsFast(s); ok {
		return out
	}
	var out []string
	m, err := argSplitRE().FindStringMatch(s)
	for ; m != nil && err == nil; m, err = argSplitRE().FindNextMatch(m) {
		out = append(out, m.String())
	}
	return out
}
