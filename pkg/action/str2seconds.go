package action

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// units are fail2ban's str2seconds abbreviations; months and years are
// floats in fail2ban, so they make the result a float.
var units = []struct {
	names []string
	secs  float64
	float bool
}{
	{names: []string{"days", "day", "da", "dd", "d"}, secs: 86400},
	{names: []string{"weeks", "week", "wee", "we", "ww", "w"}, secs: 604800},
	{names: []string{"months", "month", "mon", "mo"}, secs: 2629800, float: true},
	{names: []string{"years", "year", "yea", "ye", "yy", "y"}, secs: 31557600, float: true},
	{names: []string{"seconds", "second", "sec", "se", "ss", "s"}, secs: 1},
	{names: []string{"minutes", "minute", "min", "mi", "mm", "m"}, secs: 60},
	{names: []string{"hours", "hour", "hou", "ho", "hh", "h"}, secs: 3600},
}

// str2seconds parses a time value such as "60", "1.5h", "1d12h" or
// "1h 30m" (a sum of number+unit terms, optionally signed). It covers the
// forms fail2ban's str2seconds accepts for action timeouts, without its
// general arithmetic.
func str2seconds(s string) (float64, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, fmt.Errorf("timeout: empty time value")
	}
	var total float64
	rest := in
	for rest != "" {
		v, n, err := timeTerm(rest)
		if err != nil {
			return 0, fmt.Errorf("timeout: invalid time value %q", s)
		}
		total += v
		rest = strings.TrimLeft(rest[n:], " \t")
	}
	return total, nil
}

// timeTerm reads one "[+-]number[unit]" term and returns its value and
// length.
func timeTerm(s string) (float64, int, error) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, 0, err
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && unicode.IsLetter(rune(s[j])) {
		j++
	}
	word := strings.ToLower(s[i:j])
	if word == "" {
		return num, i, nil
	}
	for _, u := range units {
		for _, n := range u.names {
			if n == word {
				return num * u.secs, j, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("unknown unit %q", word)
}

// floatUnit reports whether s uses a unit that fail2ban computes as float.
func floatUnit(s string) bool {
	ls := strings.ToLower(s)
	return strings.Contains(ls, "mo") || strings.Contains(ls, "y")
}
