package config

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

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
		if j := tagEnd(s, i); j > 0 {
			return s[i+1 : j-1], i, j, true
		}
	}
	return "", 0, 0, false
}

// findTagBytes is findTag on the text substituteOne rewrites.
func findTagBytes(s []byte, from int) (start, end int, ok bool) {
	for i := from; i < len(s); i++ {
		k := bytes.IndexByte(s[i:], '<')
		if k < 0 {
			break
		}
		i += k
		if j := tagEnd(s, i); j > 0 {
			return i, j, true
		}
	}
	return 0, 0, false
}

// tagEnd returns the end of the tag whose '<' is s[i], 0 when none
// starts there.
func tagEnd[T string | []byte](s T, i int) int {
	j := i + 1
	for j < len(s) && s[j] != ' ' && s[j] != '<' && s[j] != '>' {
		j++
	}
	if j < len(s) && s[j] == '>' && j > i+1 {
		return j + 1
	}
	return 0
}

// substituteTags resolves <tag> references among the values of tags
// recursively (spec §1.5). Unknown tags stay verbatim; keys in ignore are
// neither substituted nor used as replacements. addrepl resolves tags that
// are not keys of the dict. It rewrites tags in place and returns it.
func substituteTags(tags *odict, ignore map[string]bool, addrepl func(string) (string, bool, error)) (*odict, error) {
	return substituteTagsWatch(tags, ignore, addrepl, nil)
}

// substituteTagsWatch is substituteTags that also sets *marked when a tag
// name it checks holds a NUL (a combMemo placeholder); nil watches
// nothing.
func substituteTagsWatch(tags *odict, ignore map[string]bool, addrepl func(string) (string, bool, error), marked *bool) (*odict, error) {
	// Keys never change during substitution, so per-key state is indexed
	// by position instead of kept in maps.
	done := make([]bool, len(tags.keys))
	for i, tag := range tags.keys {
		done[i] = ignore[tag] // an ignored key is never substituted
	}
	ign := tagSetOf(ignore)
	counts := make([]*replCounts, len(tags.keys))
	vb := valueBufs.Get().(*valueBuf)
	defer valueBufs.Put(vb)
	defer vb.resetCounts()
	vb.marked = marked
	defer func() { vb.marked = nil }()
	for {
		again := false
		for i, tag := range tags.keys {
			if done[i] {
				continue
			}
			orig := pyval.Str(tags.vals[i])
			value, rplc, replaced, err := substituteOne(tag, orig, tags, ign, counts[i], addrepl, vb)
			if err != nil {
				return nil, err
			}
			if !replaced {
				// Its tags are all unknown or ignored, and stay so:
				// later passes would find the same (<ip>, <F-USER>).
				done[i] = true
				continue
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

// tagSet is a small set of tag names (the ignored ones): a handful of
// names compare faster than they hash, for every tag of every value.
type tagSet []string

// tagSetOf lists the names set in m.
func tagSetOf(m map[string]bool) tagSet {
	t := make(tagSet, 0, len(m))
	for k, in := range m {
		if in {
			t = append(t, k)
		}
	}
	return t
}

func (t tagSet) has(name []byte) bool {
	for _, s := range t {
		if s == string(name) {
			return true
		}
	}
	return false
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
func (c *replCounts) get(tag []byte) (n int, seen bool) {
	if c == nil {
		return 0, false
	}
	for _, e := range *c {
		if e.tag == string(tag) {
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
// the replacement; replaced tells whether any tag was. The value is rewritten in vb's buffers (nil: fresh
// ones), so that it costs one allocation, for the result, and none when
// no tag is replaced.
func substituteOne(tag, value string, tags *odict, ignore tagSet, rplc *replCounts,
	addrepl func(string) (string, bool, error), vb *valueBuf) (_ string, _ *replCounts, replaced bool, _ error) {
	if _, _, _, ok := findTag(value, 0); !ok {
		return value, rplc, false, nil // most values hold no tag: no copy
	}
	if vb == nil {
		vb = &valueBuf{}
	}
	b := append(vb.buf[:0], value...)
	defer func() { vb.buf = b[:0] }() // keep the grown buffer for the next value
	start, end, ok := findTagBytes(b, 0)
	for ok {
		name := b[start+1 : end-1]
		if vb.marked != nil && markedName(name) {
			*vb.marked = true
		}
		if ignore.has(name) {
			start, end, ok = findTagBytes(b, end)
			continue
		}
		n, seen := rplc.get(name)
		if !seen {
			n = 1
		}
		if string(name) == tag || n > maxTagReplace {
			return "", nil, false, fmt.Errorf("properties contain self referencing definitions and cannot be resolved, fail tag: %s, found: %s, value: %s", tag, name, b)
		}
		rtag, repl, found, err := tagValue(name, tags, addrepl, vb)
		if err != nil {
			return "", nil, false, err
		}
		if !found {
			start, end, ok = findTagBytes(b, end)
			continue
		}
		var from int
		b, from = vb.replace(b, start, end, repl)
		if rplc == nil {
			rplc = vb.newCounts() // on the first replacement only
		}
		rplc.inc(rtag)
		replaced = true
		start, end, ok = findTagBytes(b, from)
	}
	if !replaced {
		return value, rplc, false, nil
	}
	return string(b), rplc, true, nil
}

// valueBuf holds the two buffers substituteOne rewrites values in (the
// current text and the scratch space the next replacement writes to) and
// the names of the tags that were not keys of a dict (<ip>, <HOST>),
// which are looked up again on every pass.
type valueBuf struct {
	buf, tmp []byte
	names    map[string]string
	// counts and heads are the arena newCounts hands replCounts out of;
	// one substituteTags call uses them at a time, and the next reuses
	// them.
	counts []replCount
	heads  []replCounts
	// marked, when set, is set to true by a tag name holding a NUL.
	marked *bool
}

// countsCap is the room newCounts gives a value's counts: most values
// hold fewer distinct tags (a value with more grows its own slice). With
// 8, the action commands of the stock tree outgrew it ~360 times a load;
// the arena is reused from one call to the next, so room costs little.
const countsCap = 16

// newCounts returns empty counts for one value.
func (vb *valueBuf) newCounts() *replCounts {
	if len(vb.counts)+countsCap > cap(vb.counts) {
		vb.counts = make([]replCount, 0, max(32*countsCap, 2*cap(vb.counts)))
	}
	if len(vb.heads) == cap(vb.heads) {
		vb.heads = make([]replCounts, 0, max(32, 2*cap(vb.heads)))
	}
	n := len(vb.counts)
	vb.counts = vb.counts[:n+countsCap]
	vb.heads = append(vb.heads, vb.counts[n:n:n+countsCap])
	return &vb.heads[len(vb.heads)-1]
}

// resetCounts makes the arena's space free for the next substituteTags
// call: nothing refers to the counts of the last one any more.
func (vb *valueBuf) resetCounts() {
	vb.counts, vb.heads = vb.counts[:0], vb.heads[:0]
}

// intern returns name as a string, allocating it only the first time.
func (vb *valueBuf) intern(name []byte) string {
	if vb == nil {
		return string(name)
	}
	if s, ok := vb.names[string(name)]; ok {
		return s
	}
	if vb.names == nil {
		vb.names = map[string]string{}
	}
	s := string(name)
	vb.names[s] = s
	return s
}

// valueBufs lends valueBufs to substituteTags calls, which run on several
// goroutines.
var valueBufs = sync.Pool{New: func() any { return new(valueBuf) }}

// replace replaces every occurrence of b[start:end] ("<tag>") in b by
// repl, as Python's str.replace on the whole value, and returns the new
// text (in the other buffer) and where the search resumes: at start, as
// in the reference algorithm, or past repl when no tag can start inside
// it. An occurrence before start is rare (a tag that was unknown when the
// search passed it) and takes the general path.
func (vb *valueBuf) replace(b []byte, start, end int, repl string) ([]byte, int) {
	needle := b[start:end]
	out := vb.tmp[:0]
	from := start
	if bytes.Contains(b[:start], needle) {
		out = appendReplaced(out, b, needle, repl)
	} else {
		out = append(out, b[:start]...)
		out = append(out, repl...)
		out = appendReplaced(out, b[end:], needle, repl)
		if strings.IndexByte(repl, '<') < 0 {
			from = start + len(repl)
		}
	}
	vb.tmp = b
	return out, from
}

// appendReplaced appends src with every occurrence of old replaced by
// repl (left to right, not overlapping) to dst.
func appendReplaced(dst, src, old []byte, repl string) []byte {
	for {
		i := bytes.Index(src, old)
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(append(dst, src[:i]...), repl...)
		src = src[i+len(old):]
	}
}

// tagValue looks up tag name in tags, then with addrepl. rtag is the name
// as a string: the dict's key when it has one, else the copy vb keeps
// (nil vb: a new one), so that look-ups allocate nothing.
func tagValue(name []byte, tags *odict, addrepl func(string) (string, bool, error), vb *valueBuf) (rtag, repl string, found bool, err error) {
	if i := tags.findBytes(name); i >= 0 {
		rtag = tags.keys[i]
		if v := tags.vals[i]; v != nil {
			return rtag, pyval.Str(v), true, nil
		}
	} else {
		rtag = vb.intern(name)
	}
	if addrepl == nil {
		return rtag, "", false, nil
	}
	repl, found, err = addrepl(rtag)
	return rtag, repl, found, err
}
