package filter

import (
	"sync"
	"weak"
)

// A RegexCache remembers compiled regexes for as long as something else
// holds them, so that a caller that compiles each regex as it checks it
// (fail2ban-regex lists them, the server rejects a bad one when it is
// set) does not pay a second compile when the Filter is built. A Regex is
// immutable, so one compiled copy may serve several holders. The cache
// keeps no regex alive by itself. A nil *RegexCache compiles every time.
type RegexCache struct {
	mu sync.Mutex
	m  map[cacheKey]weak.Pointer[Regex]
}

type cacheKey struct {
	expr string
	o    RegexOptions
}

// Compile is CompileRegex through the cache.
func (c *RegexCache) Compile(expr string, o RegexOptions) (*Regex, error) {
	if c == nil {
		return CompileRegex(expr, o)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultMatchTimeout // as CompileRegex reads it
	}
	k := cacheKey{expr, o}
	c.mu.Lock()
	r := c.m[k].Value()
	c.mu.Unlock()
	if r != nil {
		return r, nil
	}
	r, err := CompileRegex(expr, o)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[cacheKey]weak.Pointer[Regex])
	}
	for k, p := range c.m { // drop what nothing holds any more
		if p.Value() == nil {
			delete(c.m, k)
		}
	}
	c.m[k] = weak.Make(r)
	c.mu.Unlock()
	return r, nil
}
