package config

import "strings"

// argsFast parses the common shape of an option list without regexp2:
// printable-ASCII entries key=value or key="value" separated by commas or
// by "][" (groups, as in "a[x=1][y=2]"), with no other brackets and no
// single quotes anywhere. ok is false for any other input, which then goes
// through the full argExtractRE grammar; the differential test and
// FuzzArgsFast hold both paths to the same result.
func argsFast(opts string) (out []Arg, ok bool) {
	for i := 0; i < len(opts); i++ {
		c := opts[i]
		if (c < 0x20 && c != '\t') || c > 0x7e || c == '\'' {
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
			if opts[end] == '[' || opts[end] == ']' {
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
		if opts[end] == '"' || opts[end] == '[' {
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
// ASCII with no leading or trailing blanks. For such a value argSplitRE's
// first branch matches each line whole, taking the greedy choice at every
// step, so the entries are the lines. ok is false for anything else; the
// differential test and FuzzSplitActionsFast hold both paths to the same
// result.
func splitActionsFast(s string) (out []string, ok bool) {
	for line := range strings.SplitSeq(s, "\n") {
		if !simpleActionLine(line) {
			return nil, false
		}
		out = append(out, line)
	}
	return out, true
}

// simpleActionLine reports whether line has the shape splitActionsFast
// accepts.
func simpleActionLine(line string) bool {
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < ' ' || c > 0x7e || c == '\'' {
			return false
		}
	}
	name := 0
	for name < len(line) && line[name] != '[' {
		if c := line[name]; c == ' ' || c == ']' || c == '"' {
			return false
		}
		name++
	}
	if name == 0 {
		return false
	}
	for pos := name; pos < len(line); {
		// one group: "[" entries "]"
		if line[pos] != '[' {
			return false
		}
		end, ok := simpleGroupEnd(line, pos+1)
		if !ok {
			return false
		}
		pos = end + 1
	}
	return true
}

// simpleGroupEnd checks the entries of a group starting at pos and returns
// the index of its closing ']'.
func simpleGroupEnd(line string, pos int) (int, bool) {
	for {
		pos = skipSpaces(line, pos)
		if pos < len(line) && line[pos] == ']' {
			return pos, true
		}
		k := pos
		for pos < len(line) && isArgKeyByte(line[pos]) {
			pos++
		}
		if pos == k || pos == len(line) || line[pos] != '=' {
			return 0, false
		}
		pos++
		if pos < len(line) && line[pos] == '"' {
			q := strings.IndexByte(line[pos+1:], '"')
			if q < 0 {
				return 0, false
			}
			pos += q + 2
		} else {
			for pos < len(line) && line[pos] != ',' && line[pos] != ']' {
				if c := line[pos]; c == '"' || c == '[' {
					return 0, false
				}
				pos++
			}
		}
		for pos < len(line) && line[pos] == ' ' {
			pos++
		}
		switch {
		case pos == len(line):
			return 0, false
		case line[pos] == ',':
			pos++
		case line[pos] != ']':
			return 0, false
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
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func isArgKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}
