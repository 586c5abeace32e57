package datedetect

// The canonical ISO layout `YYYY-MM-DD[T ]HH:MM:SS` in ASCII digits is by
// far the most common input of the ISO hand matcher. For it every
// higher-priority candidate of the general matcher fails at its next
// character (a digit where a separator is needed), so reading fixed
// two-digit fields gives the same captures; anything else falls back to
// the general candidate search.

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// matchISOCanonical returns the end of the date-time part (before the
// fraction) and fills caps 0-6 and 9, or -1 when the text is not in the
// canonical layout (which does not mean there is no match). The checks
// index a fixed 19-byte window, which needs one bounds check.
func (m *matcher) matchISOCanonical(s string, i int, st *handState) int {
	if i+19 > len(s) {
		return -1
	}
	t := s[i : i+19]
	// year 20[cent]\d in ASCII, as m.year with its end at i+4
	if t[0] != '2' || t[1] != '0' || !isDigit(t[2]) || m.handCentSet&(1<<(t[2]&63)) == 0 || !isDigit(t[3]) ||
		!isDateSep(t[4]) {
		return -1
	}
	// month 0[1-9] | 1[0-2]
	if !(t[5] == '0' && t[6] >= '1' && t[6] <= '9' || t[5] == '1' && t[6] >= '0' && t[6] <= '2') || !isDateSep(t[7]) {
		return -1
	}
	// day [1-2]\d | 0[1-9] | 3[0-1]
	d0, d1 := t[8], t[9]
	if !((d0 == '1' || d0 == '2') && isDigit(d1) || d0 == '0' && d1 >= '1' && d1 <= '9' || d0 == '3' && (d1 == '0' || d1 == '1')) {
		return -1
	}
	// 'T', or one space followed by a digit (two spaces would win)
	if c := t[10]; c != 'T' && (c != ' ' || !isDigit(t[11])) {
		return -1
	}
	// hour [0-1]\d | 2[0-3]; minute [0-5]\d; second [0-5]\d
	if !((t[11] == '0' || t[11] == '1') && isDigit(t[12]) || t[11] == '2' && t[12] >= '0' && t[12] <= '3') || t[13] != ':' ||
		!(t[14] >= '0' && t[14] <= '5' && isDigit(t[15])) || t[16] != ':' || !(t[17] >= '0' && t[17] <= '5' && isDigit(t[18])) {
		return -1
	}
	h := i + 11
	st.caps[0], st.caps[1], st.caps[2], st.caps[9] = span{i, i + 4}, span{i + 4, i + 5}, span{i + 5, i + 7}, span{i + 7, i + 8}
	st.caps[3], st.caps[4], st.caps[5], st.caps[6] = span{i + 8, i + 10}, span{h, h + 2}, span{h + 3, h + 5}, span{h + 6, h + 8}
	return h + 8
}

// foldName3 is foldName for the day or month abbreviations when s[i:i+3]
// is ASCII (where U+017F cannot occur); ok is false when the general loop
// must decide.
func foldName3(s string, i int, months bool) (end int, ok bool) {
	if i+3 > len(s) {
		return -1, false
	}
	t := s[i : i+3]
	a, b, c := t[0], t[1], t[2]
	if a|b|c >= 0x80 {
		return -1, false
	}
	if a < 'A' || b < 'A' || c < 'A' {
		return -1, true
	}
	key := uint32(a|0x20)<<16 | uint32(b|0x20)<<8 | uint32(c|0x20)
	if months && isMonth3(key) || !months && isDay3(key) {
		return i + 3, true
	}
	return -1, true
}

// isMonth3 and isDay3 test a packed lower-case abbreviation (handMonths,
// handDays); a switch on constants compiles to a binary search.
func isMonth3(k uint32) bool {
	switch k {
	case 'j'<<16 | 'a'<<8 | 'n', 'f'<<16 | 'e'<<8 | 'b', 'm'<<16 | 'a'<<8 | 'r', 'a'<<16 | 'p'<<8 | 'r',
		'm'<<16 | 'a'<<8 | 'y', 'j'<<16 | 'u'<<8 | 'n', 'j'<<16 | 'u'<<8 | 'l', 'a'<<16 | 'u'<<8 | 'g',
		's'<<16 | 'e'<<8 | 'p', 'o'<<16 | 'c'<<8 | 't', 'n'<<16 | 'o'<<8 | 'v', 'd'<<16 | 'e'<<8 | 'c':
		return true
	}
	return false
}

func isDay3(k uint32) bool {
	switch k {
	case 'm'<<16 | 'o'<<8 | 'n', 't'<<16 | 'u'<<8 | 'e', 'w'<<16 | 'e'<<8 | 'd', 't'<<16 | 'h'<<8 | 'u',
		'f'<<16 | 'r'<<8 | 'i', 's'<<16 | 'a'<<8 | 't', 's'<<16 | 'u'<<8 | 'n':
		return true
	}
	return false
}

// syslogCanonical matches `DD HH:MM:SS` (day 2 characters, one space
// before the hour, ASCII digits) at k, filling caps 2-5, or returns -1.
func syslogCanonical(s string, k int, st *handState) int {
	if k+11 > len(s) {
		return -1
	}
	t := s[k : k+11]
	d0, d1 := t[0], t[1]
	if !((d0 == '1' || d0 == '2') && isDigit(d1) || (d0 == '0' || d0 == ' ') && d1 >= '1' && d1 <= '9' ||
		d0 == '3' && (d1 == '0' || d1 == '1')) || t[2] != ' ' {
		return -1
	}
	// hour [0-2]\d, minute and second [0-5]\d
	if !(t[3] >= '0' && t[3] <= '2' && isDigit(t[4])) || t[5] != ':' || !(t[6] >= '0' && t[6] <= '5' && isDigit(t[7])) ||
		t[8] != ':' || !(t[9] >= '0' && t[9] <= '5' && isDigit(t[10])) {
		return -1
	}
	h := k + 3
	st.caps[2], st.caps[3], st.caps[4], st.caps[5] = span{k, k + 2}, span{h, h + 2}, span{h + 3, h + 5}, span{h + 6, h + 8}
	return h + 8
}
