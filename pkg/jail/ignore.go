package jail

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/f2b/f2b/pkg/ipaddr"
)

// IgnoreCacheOptions is the ignorecache option (fail2ban jail.conf):
// verdicts are cached under Key with its tags substituted.
type IgnoreCacheOptions struct {
	Key      string        // tag template, e.g. "<ip>"
	MaxCount int           // entries kept (FIFO); default 100
	MaxTime  time.Duration // lifetime of a verdict; default 5m
}

// ignoreCache is a small FIFO+TTL cache of ignore verdicts.
type ignoreCache struct {
	opts  IgnoreCacheOptions
	mu    sync.Mutex
	m     map[string]ignoreVerdict
	order []string
}

type ignoreVerdict struct {
	rule string // "" = not ignored
	exp  time.Time
}

func newIgnoreCache(o IgnoreCacheOptions) *ignoreCache {
	if o.MaxCount <= 0 {
		o.MaxCount = 100
	}
	if o.MaxTime <= 0 {
		o.MaxTime = 5 * time.Minute
	}
	return &ignoreCache{opts: o, m: make(map[string]ignoreVerdict)}
}

func (c *ignoreCache) get(k string, now time.Time) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	if !ok || !now.Before(v.exp) {
		return "", false
	}
	return v.rule, true
}

func (c *ignoreCache) put(k, rule string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok {
		if len(c.order) >= c.opts.MaxCount {
			delete(c.m, c.order[0])
			c.order = slices.Delete(c.order, 0, 1)
		}
		c.order = append(c.order, k)
	}
	c.m[k] = ignoreVerdict{rule: rule, exp: now.Add(c.opts.MaxTime)}
}

// cacheKey substitutes <ip>, <fid> and <F-NAME> tags of the key template.
// Other tags stay verbatim, which only makes the key coarser or finer,
// never wrong for the tags a key template uses in practice.
func cacheKey(tmpl string, t *Ticket) string {
	if !strings.Contains(tmpl, "<") {
		return tmpl
	}
	id := t.String()
	pairs := []string{"<ip>", id, "<fid>", id}
	for _, tg := range t.Tags {
		pairs = append(pairs, "<F-"+strings.ToUpper(tg.Name)+">", tg.Value, "<"+tg.Name+">", tg.Value)
	}
	return strings.NewReplacer(pairs...).Replace(tmpl)
}

// ignoreRules is the jail's ignore configuration.
type ignoreRules struct {
	self    bool
	command string
	cache   *ignoreCache
}

// isIgnored applies fail2ban's order: cache, ignoreself, exact IP,
// subnets and names, ignorecommand. It returns the rule that matched
// ("" when not ignored).
func (j *Jail) isIgnored(ctx context.Context, r ignoreRules, t *Ticket) string {
	if r.cache == nil {
		rule, _ := j.checkIgnore(ctx, r, t)
		return rule
	}
	now := j.now()
	var ck string
	if r.cache != nil {
		ck = cacheKey(r.cache.opts.Key, t)
		if rule, ok := r.cache.get(ck, now); ok {
			return rule
		}
	}
	rule, cacheable := j.checkIgnore(ctx, r, t)
	if r.cache != nil && cacheable {
		r.cache.put(ck, rule, now)
	}
	return rule
}

func (j *Jail) checkIgnore(ctx context.Context, r ignoreRules, t *Ticket) (rule string, cacheable bool) {
	if t.IP.IsValid() {
		if r.self && slices.Contains(j.selfAddrs(ctx), t.IP) {
			return "ignoreself rule", true
		}
		switch j.ignoreIP.Match(ctx, t.IP, j.opts.Resolver) {
		case ipaddr.RuleIP:
			return "ip", true
		case ipaddr.RuleDNS:
			return "dns", true
		}
	} else if j.ignoreIP.MatchText(ctx, t.ID, j.opts.Resolver) != ipaddr.RuleNone {
		return "dns", true
	}
	if r.command == "" || j.opts.IgnoreCommand == nil {
		return "", true
	}
	ok, err := j.opts.IgnoreCommand.Ignore(ctx, r.command, *t)
	if err != nil {
		j.log.Error("ignorecommand failed", logKeyIP, t.String(), logKeyErr, err)
		return "", false
	}
	if ok {
		return "command", true
	}
	return "", true
}

// selfAddrs returns the host's addresses, looked up once.
func (j *Jail) selfAddrs(ctx context.Context) []netip.Addr {
	j.selfOnce.Do(func() {
		if j.opts.Self != nil {
			j.self = j.opts.Self(ctx)
		}
	})
	return j.self
}
