package action

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// operationNames are the properties every command action has, empty by
// default (fail2ban's clearAllParams).
var operationNames = []string{
	"actionstart", "actionban", "actionreban", "actionunban", "actioncheck",
	"actionrepair", "actionflush", "actionstop", "actionreload",
}

// propSet holds the properties and the caches derived from them.
type propSet struct {
	order      []string
	vals       map[string]string
	timeout    time.Duration
	timeoutVal any // int64 or float64 seconds, as fail2ban stores it
	defTimeout time.Duration

	// caches, cleared on every change:
	keys     []string                     // sorted property names
	resolved map[string]map[string]string // conditional → resolved props
	ops      map[[2]string]string         // (query, conditional) → command
	cond     int8                         // hasCondSection: 0 unknown, 1 no, 2 yes
}

func newPropSet(def time.Duration) *propSet {
	if def <= 0 {
		def = DefaultTimeout
	}
	p := &propSet{vals: map[string]string{}, defTimeout: def}
	for _, n := range operationNames {
		p.put(n, "")
	}
	p.setTimeout(def, int64(def/time.Second))
	return p
}

func (p *propSet) put(name, value string) {
	if _, ok := p.vals[name]; !ok {
		p.order = append(p.order, name)
	}
	p.vals[name] = value
	p.keys, p.resolved, p.ops, p.cond = nil, nil, nil, 0
}

func (p *propSet) setTimeout(d time.Duration, v any) {
	p.timeout, p.timeoutVal = d, v
	s := formatNumber(v)
	p.put("timeout", s)
}

func (p *propSet) set(name, value string) error {
	switch name {
	case "bantime":
		return nil // dynamic only; fail2ban ignores the property
	case "timeout":
		secs, err := str2seconds(value)
		if err != nil {
			return err
		}
		p.setTimeout(time.Duration(secs*float64(time.Second)), numberValue(secs, value))
		return nil
	}
	p.put(name, value)
	return nil
}

func (p *propSet) get(name string) (any, bool) {
	if name == "timeout" {
		return p.timeoutVal, true
	}
	v, ok := p.vals[name]
	return v, ok
}

func (p *propSet) list() []Prop {
	out := make([]Prop, 0, len(p.order))
	for _, n := range p.order {
		out = append(out, Prop{Name: n, Value: p.vals[n]})
	}
	return out
}

func (p *propSet) sortedKeys() []string {
	if p.keys == nil {
		p.keys = slices.Sorted(func(yield func(string) bool) {
			for k := range p.vals {
				if !yield(k) {
					return
				}
			}
		})
	}
	return p.keys
}

// bool reads a bool-ish property; ok is false when it is unset.
func (p *propSet) bool(name string) (v, ok bool) {
	s, ok := p.vals[name]
	if !ok {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true, true
	}
	return false, true
}

// hasCondSection reports whether any property is family-conditional.
func (p *propSet) hasCondSection() bool {
	if p.cond == 0 {
		p.cond = 1
		for _, n := range p.order {
			if base, cond, ok := strings.Cut(n, "?"); ok && base != "" && strings.HasPrefix(cond, "family=") {
				p.cond = 2
				break
			}
		}
	}
	return p.cond == 2
}

func formatNumber(v any) string {
	switch n := v.(type) {
	case int64:
		return strconv.FormatInt(n, 10)
	case float64:
		s := strconv.FormatFloat(n, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	return ""
}

// numberValue keeps an integral result an int unless the input was
// written as a float, like Python's str2seconds.
func numberValue(secs float64, in string) any {
	if secs == float64(int64(secs)) && !strings.ContainsAny(in, ".") && !floatUnit(in) {
		return int64(secs)
	}
	return secs
}
