package action

import (
	"errors"
	"fmt"
	"strings"
)

// maxTagReplace is fail2ban's MAX_TAG_REPLACE_COUNT: how often one tag may
// be replaced inside one property before the definitions count as
// self-referencing.
const maxTagReplace = 25

// ErrSelfReference reports property definitions that reference themselves
// (directly or through a cycle), so a command cannot be rendered.
var ErrSelfReference = errors.New("properties contain self referencing definitions and cannot be resolved")

// escapedTags are never taken from properties during phase A resolution:
// they only ever come from the ticket.
var escapedTags = map[string]bool{"matches": true, "ipmatches": true, "ipjailmatches": true}

// findTag finds the first `<name>` (name = [^ <>]+) in s at or after from,
// with the semantics of a left-to-right regexp search.
func findTag(s string, from int) (start, end int, name string, ok bool) {
	for i := from; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] != ' ' && s[j] != '<' && s[j] != '>' {
			j++
		}
		if j < len(s) && s[j] == '>' && j > i+1 {
			return i, j + 1, s[i+1 : j], true
		}
	}
	return 0, 0, "", false
}

func hasTag(s string) bool {
	_, _, _, ok := findTag(s, 0)
	return ok
}

// subTags replaces every tag in s once, left to right, with fn's answer;
// tags fn does not know stay as they are.
func subTags(s string, fn func(name string) (string, bool)) string {
	start, end, name, ok := findTag(s, 0)
	if !ok {
		return s
	}
	var b strings.Builder
	pos := 0
	for ok {
		b.WriteString(s[pos:start])
		if v, found := fn(name); found {
			b.WriteString(v)
		} else {
			b.WriteString(s[start:end])
		}
		pos = end
		start, end, name, ok = findTag(s, pos)
	}
	b.WriteString(s[pos:])
	return b.String()
}

// resolveProps interpolates property values against each other (phase A,
// step 1). keys gives the visiting order (sorted, as Python's dir()); the
// conditional value `tag?cond` wins over `tag`. Unknown tags stay literal.
func resolveProps(in map[string]string, keys []string, cond string) (map[string]string, error) {
	tags := make(map[string]string, len(in))
	for k, v := range in {
		tags[k] = v
	}
	done := map[string]bool{}
	repCounts := map[string]map[string]int{}
	for {
		repeat := false
		for _, tag := range keys {
			if escapedTags[tag] || done[tag] {
				continue
			}
			value, err := resolveOne(tags, tag, cond, repCounts)
			if err != nil {
				return nil, err
			}
			if value != tags[tag] {
				if hasTag(value) {
					repeat = true
				}
				tags[tag] = value
			}
			if !strings.Contains(value, "<") {
				done[tag] = true
			}
		}
		if !repeat {
			return tags, nil
		}
	}
}

// resolveOne substitutes the references inside one property value.
func resolveOne(tags map[string]string, tag, cond string, repCounts map[string]map[string]int) (string, error) {
	value := tags[tag]
	rplc := repCounts[tag]
	if rplc == nil {
		rplc = map[string]int{}
	}
	start, end, rtag, ok := findTag(value, 0)
	for ok {
		if escapedTags[rtag] {
			start, end, rtag, ok = findTag(value, end)
			continue
		}
		if n, seen := rplc[rtag]; rtag == tag || (seen && n > maxTagReplace) {
			return "", fmt.Errorf("%w: tag %q references %q in %q", ErrSelfReference, tag, rtag, value)
		}
		repl, found := lookupCond(tags, rtag, cond)
		if !found {
			start, end, rtag, ok = findTag(value, end)
			continue
		}
		value = strings.ReplaceAll(value, "<"+rtag+">", repl)
		rplc[rtag]++
		start, end, rtag, ok = findTag(value, start)
	}
	if hasTag(value) {
		repCounts[tag] = rplc
	}
	return value, nil
}

func lookupCond(tags map[string]string, tag, cond string) (string, bool) {
	if cond != "" {
		if v, ok := tags[tag+"?"+cond]; ok {
			return v, true
		}
	}
	v, ok := tags[tag]
	return v, ok
}

// escapeTag backslash-escapes shell metacharacters (fail2ban's escapeTag),
// used for <matches>-like values that come from properties in phase A.
func escapeTag(v string) string {
	if !strings.ContainsAny(v, unsafeChars) {
		return v
	}
	var b strings.Builder
	for _, r := range v {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && strings.ContainsRune(unsafeChars, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
