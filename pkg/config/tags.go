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
		k := strings.IndexByte(s[i:], '<')
		if k < 0 {
			break
		}
		i += k
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
// are not keys of the dict. It rewrites tags in place and returns it.
func substituteTags(tags *odict, ignore map[string]bool, addrepl func(string) (string, bool, error)) (*odict, error) {
	// Keys never change during substitution, so per-key state is indexed
	// by position instead of kept in maps.
	done := make([]bool, len(tags.keys))
	counts := make([]*replCounts, len(tags.keys))
	for {
		again := false
		for i, tag := range tags.keys {
			if ignore[tag] || done[i] {
				continue
			}
			orig := pyval.Str(tags.vals[i])
			value, rplc, err := substituteOne(tag, orig, tags, ignore, counts[i], addrepl)
			if err != nil {
				return nil, err
			}
			if value != orig {
				if _, _, _, ok := findTag(value, 0); ok {
					counts[i] = rplc
					again = true
				}
				tags.vals[i] = value
			}
			if !strings.Contains(value, "<") {
				done[i] = true
			}
		}
		if !again {
			return tags, nil
		}
	}
}

// replCounts counts the replacements of each tag inside one option. A
// value references few distinct tags, so a slice beats a map; it is
// shared through a pointer the way fail2ban shares its dict.
type replCounts []replCount

type replCount struct {
	tag string
	n   int
}

// get is the count for tag; seen is false when it was never replaced.
func (c *replCounts) get(tag string) (n int, seen bool) {
	if c == nil {
		return 0, false
	}
	for _, e := range *c {
		if e.tag == tag {
			return e.n, true
		}
	}
	return 0, false
}

// inc adds one to tag's count (a new tag counts 1, like incrementing a
// missing dict entry that reads as 0).
func (c *replCounts) inc(tag string) {
	for i := range *c {
		if (*c)[i].tag == tag {
			(*c)[i].n++
			return
		}
	}
	*c = append(*c, replCount{tag, 1})
}

// substituteOne replaces the tags of one value the way fail2ban does: each
// found tag is replaced everywhere in the value and the search resumes at
// the replacement. To avoid copying the whole value on every replacement,
// the text before the match moves to done and only the rest is rewritten;
// that is exact whenever done and the text before the match hold no other
// occurrence of the tag (checked each time, without allocating), and falls
// back to rewriting the whole value otherwise.
func substituteOne(tag, value string, tags *odict, ignore map[string]bool, rplc *replCounts,
	addrepl func(string) (string, bool, error)) (string, *replCounts, error) {
	var done strings.Builder
	rest := value
	rtag, start, end, ok := findTag(rest, 0)
	for ok {
		if ignore[rtag] {
			rtag, start, end, ok = findTag(rest, end)
			continue
		}
		n, seen := rplc.get(rtag)
		if !seen {
			n = 1
		}
		if rtag == tag || n > maxTagReplace {
			return "", nil, fmt.Errorf("properties contain self referencing definitions and cannot be resolved, fail tag: %s, found: %s, value: %s", tag, rtag, done.String()+rest)
		}
		repl, found, err := tagValue(rtag, tags, addrepl)
		if err != nil {
			return "", nil, err
		}
		if !found {
			rtag, start, end, ok = findTag(rest, end)
			continue
		}
		from := 0
		rest, from = replaceTag(&done, rest, start, end, repl)
		if rplc == nil {
			c := make(replCounts, 0, 4) // allocated on the first replacement only
			rplc = &c
		}
		rplc.inc(rtag)
		rtag, start, end, ok = findTag(rest, from)
	}
	if done.Len() == 0 {
		return rest, rplc, nil
	}
	done.WriteString(rest)
	return done.String(), rplc, nil
}

// replaceTag replaces every occurrence of rest[start:end] ("<tag>") in
// done+rest by repl and returns the new rest and where the search resumes.
func replaceTag(done *strings.Builder, rest string, start, end int, repl string) (string, int) {
	needle := rest[start:end]
	if occursBefore(done.String(), rest[:start], needle) {
		// rare: rewrite the whole value as the reference algorithm does
		whole := done.String() + rest
		from := done.Len() + start
		done.Reset()
		return strings.ReplaceAll(whole, needle, repl), from
	}
	if done.Len() == 0 {
		done.Grow(len(rest) + len(repl))
	}
	done.WriteString(rest[:start])
	tail := strings.ReplaceAll(rest[end:], needle, repl)
	if strings.IndexByte(repl, '<') < 0 {
		// no tag can start inside repl: it is final
		done.WriteString(repl)
		return tail, 0
	}
	return repl + tail, 0
}

// occursBefore reports whether needle (which holds one '<', first) occurs
// in done+pre. Only the last '<' of done can start an occurrence that
// crosses into pre.
func occursBefore(done, pre, needle string) bool {
	if strings.Contains(done, needle) || strings.Contains(pre, needle) {
		return true
	}
	q := strings.LastIndexByte(done, '<')
	if q < 0 || len(done)-q >= len(needle) {
		return false
	}
	head := done[q:]
	return strings.HasPrefix(needle, head) && strings.HasPrefix(pre, needle[len(head):])
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
