package filter

import (
	"sort"
	"strings"
)

// splitLines maps a match in text back to buffered lines (fail2ban's
// Regex.search): the lines from the one holding the match start to the one
// holding its end are matched, except lines captured by <SKIPLINES>
// groups; the rest stay unmatched. org is the original buffer, which the
// line numbers of text index even after a prefregex replaced the text.
func splitLines(text string, m *Match, org []line) (matched, unmatched []line) {
	if len(org) <= 1 {
		return org, nil
	}
	start := strings.LastIndexByte(text[:min(m.Start()+1, len(text))], '\n') + 1
	end := len(text)
	if m.End() > 0 {
		if k := strings.IndexByte(text[m.End()-1:], '\n'); k >= 0 {
			end = m.End() - 1 + k + 1
		}
	}
	n1 := min(strings.Count(text[:start], "\n"), len(org))
	n2 := min(strings.Count(text[:end], "\n"), len(org))
	matched = append([]line(nil), org[n1:max(n1, n2)]...)
	unmatched = append([]line(nil), org[:n1]...)
	n := 0
	for _, sk := range skippedLines(m) {
		for k, ml := range matched[n:] {
			if ml.text() == sk {
				unmatched = append(unmatched, ml)
				matched = append(matched[:n+k], matched[n+k+1:]...)
				n += k
				break
			}
		}
	}
	unmatched = append(unmatched, org[max(n1, n2):]...)
	return matched, unmatched
}

// skippedLines collects the text of the skiplinesN groups, split into
// lines (Python's str.splitlines on "\n" only).
func skippedLines(m *Match) []string {
	var names []string
	for _, n := range m.names {
		if strings.HasPrefix(n, "skiplines") {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Slice(names, func(i, j int) bool { return skipNum(names[i]) < skipNum(names[j]) })
	var all strings.Builder
	for _, n := range names {
		if v, ok := m.Group(n); ok {
			all.WriteString(v)
		}
	}
	s := strings.TrimSuffix(all.String(), "\n")
	if s == "" && all.Len() == 0 {
		return nil
	}
	return strings.Split(s, "\n")
}

func skipNum(name string) int {
	n := 0
	for _, c := range strings.TrimPrefix(name, "skiplines") {
		n = n*10 + int(c-'0')
	}
	return n
}
