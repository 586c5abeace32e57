package config

// argsFast parses the common shape of an option list without regexp2:
// printable-ASCII entries key=value or key="value" separated by commas,
// with no brackets or single quotes anywhere. ok is false for any other
// input, which then goes through the full argExtractRE grammar; the
// differential test and FuzzArgsFast hold both paths to the same result.
func argsFast(opts string) (out []Arg, ok bool) {
	for i := 0; i < len(opts); i++ {
		c := opts[i]
		if (c < 0x20 && c != '\t') || c > 0x7e || c == '[' || c == ']' || c == '\'' {
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
		pos = next + 1 // the comma
	}
}

// argValueFast reads one value starting at pos; next is the index of the
// comma that ends it, or len(opts).
func argValueFast(opts string, pos int) (val string, next int, ok bool) {
	if pos < len(opts) && opts[pos] == '"' {
		end := pos + 1
		for end < len(opts) && opts[end] != '"' {
			end++
		}
		if end == len(opts) || (end+1 < len(opts) && opts[end+1] != ',') {
			return "", 0, false
		}
		return pyStrip(opts[pos+1 : end]), end + 1, true
	}
	end := pos
	for end < len(opts) && opts[end] != ',' {
		if opts[end] == '"' {
			return "", 0, false
		}
		end++
	}
	return pyStrip(opts[pos:end]), end, true
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
