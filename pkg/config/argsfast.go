package config

import "strings"

// argsFast parses the common shape of an option list without regexp2:
// printable-ASCII entries key=value or key="value" separated by commas or
// by "][" (groups, as in "a[x=1][y=2]"), with no other brackets and no
// single quotes anywhere; a newline may stand where the grammar allows
// blanks (before an entry, between groups), as in an option list
// continued on the next line of a jail's action. ok is false for any other input, which then goes
// through the full argExtractRE grammar; the differential test and
// FuzzArgsFast hold both paths to the same result.
func argsFast(opts string) (out []Arg, ok bool) {
	for i := 0; i < len(opts); i++ {
		c := opts[i]
		if (c < 0x20 && c != '\t' && c != '\n') || c > 0x7e || c == '\'' {
			return nil, false
		}
	}
	pos := 0
	for {
		pos = skipBlank(opts, pos)
		if pos == len(opts) {
			return out, true
		}
		k := pos
		for pos < len(opts) && isArgKeyByte(opts[pos]) {
			pos++
		}
		if pos == k || pos == len(opts) || opts[pos] != '=' {
			return nil, false
		}
		key := opts[k:pos]
		val, next, good := argValueFast(opts, pos+1)
		if !good {
			return nil, false
		}
		out = setArg(out, key, val)
		if next == len(opts) {
			return out, true
		}
		if opts[next] == ']' {
			// a group separator: "]", blanks, "["
			next = skipBlank(opts, next+1)
			if next == len(opts) || opts[next] != '[' {
				return nil, false
			}
		}
		pos = next + 1 // the comma or the '['
	}
}

// argValueFast reads one value starting at pos; next is the index of the
// comma or ']' that ends it, or len(opts). Values holding brackets are
// left to the full grammar.
func argValueFast(opts string, pos int) (val string, next int, ok bool) {
	if pos < len(opts) && opts[pos] == '"' {
		end := pos + 1
		for end < len(opts) && opts[end] != '"' {
			if c := opts[end]; c == '[' || c == ']' || c == '\n' {
				return "", 0, false
			}
			end++
		}
		if end == len(opts) || (end+1 < len(opts) && opts[end+1] != ',' && opts[end+1] != ']') {
			return "", 0, false
		}
		return pyStrip(opts[pos+1 : end]), end + 1, true
	}
	end := pos
	for end < len(opts) && opts[end] != ',' && opts[end] != ']' {
		if c := opts[end]; c == '"' || c == '[' || c == '\n' {
			return "", 0, false
		}
		end++
	}
	return pyStrip(opts[pos:end]), end, true
}

// splitActionsFast splits the common shape of an action value without
// regexp2: one entry per line, each either a bare name or
// name[options][options]... whose options argsFast-like entries
// (key=value or key="value", separated by commas) fill, in printable
// ASCII with no leading or trailing blanks; an entry may go on to the
// next line right after a comma inside its options (blanks may then
// indent it). For such a value argSplitRE's first branch matches each
// entry whole, taking the greedy choice at every step. ok is false for
// anything else; the differential test and FuzzSplitActionsFast hold both
// paths to the same result.
func splitActionsFast(s string) (out []string, ok bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\n') || c > 0x7e || c == '\'' {
			return nil, false
		}
	}
	for pos := 0; ; {
		end, ok := simpleActionEntry(s, pos)
		if !ok {
			return nil, false
		}
		out = append(out, s[pos:end])
		if end == len(s) {
			return out, true
		}
		pos = end + 1 // past the newline
	}
}

// simpleActionEntry checks the entry of s that starts at pos and returns
// where it ends: at the newline after it, or at the end of s.
func simpleActionEntry(s string, pos int) (int, bool) {
	name := pos
	for name < len(s) && s[name] != '[' && s[name] != '\n' {
		if c := s[name]; c == ' ' || c == ']' || c == '"' {
			return 0, false
		}
		name++
	}
	if name == pos {
		return 0, false
	}
	for pos = name; pos < len(s) && s[pos] != '\n'; {
		// one group: "[" entries "]"
		if s[pos] != '[' {
			return 0, false
		}
		end, afterValue, ok := simpleGroupEnd(s, pos+1)
		if !ok {
			return 0, false
		}
		if !afterValue && end+1 < len(s) && s[end+1] == '[' {
			// The grammar goes on to the next group only from a value
			// ("][" after it); past an empty group or a trailing comma
			// its first branch fails and the entry ends at the first
			// blank (FuzzSplitActionsFast: "a[][x=1, ]", "a[x=1 ,][]").
			return 0, false
		}
		pos = end + 1
	}
	return pos, true
}

// simpleGroupEnd checks the entries of a group starting at pos and returns
// the index of its closing ']'; afterValue tells whether a value comes
// right before it (not a comma, not an empty group).
func simpleGroupEnd(line string, pos int) (end int, afterValue, ok bool) {
	for {
		pos = skipSpaces(line, pos)
		if pos < len(line) && line[pos] == ']' {
			return pos, afterValue, true
		}
		afterValue = false
		k := pos
		for pos < len(line) && isArgKeyByte(line[pos]) {
			pos++
		}
		if pos == k || pos == len(line) || line[pos] != '=' {
			return 0, false, false
		}
		pos++
		if pos < len(line) && line[pos] == '"' {
			q := strings.IndexByte(line[pos+1:], '"')
			if q < 0 || strings.IndexByte(line[pos+1:pos+1+q], '\n') >= 0 {
				return 0, false, false
			}
			pos += q + 2
		} else {
			for pos < len(line) && line[pos] != ',' && line[pos] != ']' {
				if c := line[pos]; c == '"' || c == '[' || c == '\n' {
					return 0, false, false
				}
				pos++
			}
		}
		for pos < len(line) && line[pos] == ' ' {
			pos++
		}
		switch {
		case pos == len(line):
			return 0, false, false
		case line[pos] == ',':
			pos++
			if pos < len(line) && line[pos] == '\n' {
				pos++ // the options go on on the next line
			}
		case line[pos] != ']':
			return 0, false, false
		default:
			afterValue = true
		}
	}
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
		i++
	}
	return i
}

func isArgKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}
