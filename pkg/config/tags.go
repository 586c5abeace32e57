package config

import (
	"fmt"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// maxTagReplace is how often one tag may be replaced inside one option
// before the definitions count as self-referencing.
const maxTagReplace = 25

// findTag finds the first <name> at or after from (tag names contain no
// space and no angle brackets). It returns the name and match bounds.
func findTag(s string, from int) (name string, start, end int, ok bool) {
	for i := from; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] != ' ' && s[j] != '<' && s[j] != '>' {
			j++
		}
		if j < len(s) && s[j] == '>' && j > i+1 {
			return s[i+1 : j], i, j + 1, true
		}
	}
	return "", 0, 0, false
}

// substituteTags resolves <tag> references among the values of tags
// recursively (spec §1.5). Unknown tags stay verbatim; keys in ignore are
// neither substituted nor used as replacements. addrepl resolves tags that
// are not keys of the dict.
func substituteTags(tags *odict, ignore map[string]bool, addrepl func(string) (string, bool, error)) (*odict, error) {
	tags = tags.Copy()
	done := map[string]bool{}
	counts := map[string]map[string]int{}
	for {
		again := false
		for _, tag := range tags.keys {
			if ignore[tag] || done[tag] {
				continue
			}
			orig := pyval.Str(tags.m[tag])
			value, rplc, err := substituteOne(tag, orig, tags, ignore, counts[tag], addrepl)
			if err != nil {
				return nil, err
			}
			if value != orig {
				if _, _, _, ok := findTag(value, 0); ok {
					counts[tag] = rplc
					again = true
				}
				tags.m[tag] = value
			}
			if !strings.Contains(value, "<") {
				done[tag] = true
			}
		}
		if !again {
			return tags, nil
		}
	}
}

func substituteOne(tag, value string, tags *odict, ignore map[string]bool, rplc map[string]int,
	addrepl func(string) (string, bool, error)) (string, map[string]int, error) {
	rtag, start, end, ok := findTag(value, 0)
	for ok {
		if ignore[rtag] {
			rtag, start, end, ok = findTag(value, end)
			continue
		}
		n, seen := rplc[rtag]
		if !seen {
			n = 1
		}
		if rtag == tag || n > maxTagReplace {
			return "", nil, fmt.Errorf("properties contain self referencing definitions and cannot be resolved, fail tag: %s, found: %s, value: %s", tag, rtag, value)
		}
		repl, found, err := tagValue(rtag, tags, addrepl)
		if err != nil {
			return "", nil, err
		}
		if !found {
			rtag, start, end, ok = findTag(value, end)
			continue
		}
		// value[start:end] is "<rtag>": slicing it saves building the needle.
		value = strings.ReplaceAll(value, value[start:end], repl)
		if rplc == nil {
			rplc = map[string]int{} // allocated on the first replacement only
		}
		rplc[rtag]++
		rtag, start, end, ok = findTag(value, start)
	}
	return value, rplc, nil
}

func tagValue(rtag string, tags *odict, addrepl func(string) (string, bool, error)) (string, bool, error) {
	if v, ok := tags.Get(rtag); ok && v != nil {
		return pyval.Str(v), true, nil
	}
	if addrepl == nil {
		return "", false, nil
	}
	return addrepl(rtag)
}
