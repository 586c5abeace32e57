package ipaddr

import (
	"context"
	"net/netip"
	"sync"
	"time"
)

// Resolver looks up the addresses of a host name. *net.Resolver satisfies
// it; tests pass a map-backed fake.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// CacheOptions configures NewCache.
type CacheOptions struct {
	Resolver Resolver         // required
	TTL      time.Duration    // default 5m, fail2ban's DNS cache lifetime
	MaxSize  int              // default 1000 entries
	Now      func() time.Time // default time.Now
}

// Cache is a Resolver that remembers answers (and failures, as an empty
// answer) for TTL, like fail2ban's DNSUtils cache, so a host name in
// ignoreip does not cost a lookup per failure.
type Cache struct {
	opts CacheOptions
	mu   sync.Mutex
	m    map[string]cacheEntry
}

type cacheEntry struct {
	addrs []netip.Addr
	exp   time.Time
}

// NewCache wraps opts.Resolver.
func NewCache(opts CacheOptions) *Cache {
	if opts.TTL <= 0 {
		opts.TTL = 5 * time.Minute
	}
	if opts.MaxSize <= 0 {
		opts.MaxSize = 1000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Cache{opts: opts, m: make(map[string]cacheEntry)}
}

// LookupNetIP implements Resolver. Lookup errors are cached as "no
// addresses" and not returned: an unresolvable ignoreip name simply
// matches nothing, as in fail2ban.
func (c *Cache) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	key := network + "\x00" + host
	now := c.opts.Now()
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Before(e.exp) {
		return e.addrs, nil
	}
	addrs, _ := c.opts.Resolver.LookupNetIP(ctx, network, host)
	for i, a := range addrs {
		addrs[i] = a.Unmap().WithZone("")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.opts.MaxSize {
		c.evict(now)
	}
	c.m[key] = cacheEntry{addrs: addrs, exp: now.Add(c.opts.TTL)}
	return addrs, nil
}

// evict drops expired entries, or everything when none has expired; the
// cache is small and a refill costs only lookups.
func (c *Cache) evict(now time.Time) {
	for k, e := range c.m {
		if !now.Before(e.exp) {
			delete(c.m, k)
		}
	}
	if len(c.m) >= c.opts.MaxSize {
		clear(c.m)
	}
}

// Clear forgets every answer (fail2ban clears its DNS caches on reload).
func (c *Cache) Clear() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}
