package action

import (
	"fmt"
	"strings"
)

// resolvedProps returns the properties interpolated for a conditional
// ("family=inet6" or ""), cached until a property changes.
func (a *Action) resolvedProps(cond string) (map[string]string, error) {
	if r, ok := a.p.resolved[cond]; ok {
		return r, nil
	}
	r, err := resolveProps(a.p.vals, a.p.sortedKeys(), cond)
	if err != nil {
		return nil, err
	}
	if a.p.resolved == nil {
		a.p.resolved = map[string]map[string]string{}
	}
	a.p.resolved[cond] = r
	return r, nil
}

// replaceTag is phase A step 2: substitute property tags into query until
// stable (fail2ban's replaceTag), with the result cached.
func (a *Action) replaceTag(query, cond string) (string, error) {
	if !strings.Contains(query, "<") {
		return query, nil
	}
	key := [2]string{query, cond}
	if v, ok := a.p.ops[key]; ok {
		return v, nil
	}
	sub, err := a.resolvedProps(cond)
	if err != nil {
		return "", err
	}
	fn := func(tag string) (string, bool) {
		v, ok := lookupCond(sub, tag, cond)
		if !ok {
			return a.addRepl(tag)
		}
		if escapedTags[tag] {
			v = escapeTag(v)
		}
		return v, true
	}
	value := query
	for count := maxTagReplace + 1; ; {
		value = subTags(query, fn)
		if value == query || !strings.Contains(value, "<") {
			break
		}
		query = value
		if count--; count <= 0 {
			return "", fmt.Errorf("%w: too long replacement in %q", ErrSelfReference, query)
		}
	}
	if a.p.ops == nil {
		a.p.ops = map[[2]string]string{}
	}
	a.p.ops[key] = value
	return value, nil
}

// addRepl answers the tags that are neither properties nor ticket values.
func (a *Action) addRepl(tag string) (string, bool) {
	switch tag {
	case "br":
		return "\n", true
	case "sp":
		return " ", true
	case "fq-hostname":
		return a.hostname(), true
	case "sh-hostname":
		h, _, _ := strings.Cut(a.hostname(), ".")
		return h, true
	}
	return "", false
}

func condFor(family string) string {
	if family == "" {
		return ""
	}
	return "family=" + family
}

// operation renders a ticketless operation for family (fail2ban's
// _getOperation): properties, then <family>.
func (a *Action) operation(tag, family string) (string, error) {
	cmd, err := a.replaceTag(tag, condFor(family))
	if err != nil || family == "" || !strings.Contains(cmd, "<") {
		return cmd, err
	}
	c := a.renderDynamic(cmd, tagInfo{family: family, familyOnly: true})
	if len(c.Args) > 0 { // a family name never needs escaping
		return "", fmt.Errorf("family %q needs escaping", family)
	}
	return c.Script, nil
}

// renderTicket renders a per-ticket operation (phase A for the ticket's
// family, then phase B with the ticket).
func (a *Action) renderTicket(tag string, t *Ticket) (Command, error) {
	cmd, err := a.replaceTag(tag, condFor(t.family()))
	if err != nil {
		return Command{}, err
	}
	return a.renderDynamic(cmd, tagInfo{t: t, now: a.now()}), nil
}
