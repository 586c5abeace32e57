package filter

import (
	"runtime"
	"testing"
)

func TestRegexCache(t *testing.T) {
	var c RegexCache
	expr := ExpandTags(`^fail from <HOST>$`, "no")
	a, err := c.Compile(expr, RegexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Compile(expr, RegexOptions{Timeout: DefaultMatchTimeout})
	if a != b {
		t.Error("the same regex and options were compiled twice")
	}
	if m, _ := c.Compile(expr, RegexOptions{Multiline: true}); m == a {
		t.Error("other options got the same compiled regex")
	}
	f, err := New(Options{FailRegex: []string{`^fail from <HOST>$`}, UseDNS: UseDNSNo, Cache: &c})
	if err != nil {
		t.Fatal(err)
	}
	if f.FailRegex()[0] != a {
		t.Error("New compiled a regex the cache held")
	}
	if r, _ := (*RegexCache)(nil).Compile(expr, RegexOptions{}); r == nil || r == a {
		t.Error("a nil cache must compile afresh")
	}
	// the cache keeps nothing alive by itself
	a, b, f = nil, nil, nil
	runtime.GC()
	runtime.GC()
	if _, err := c.Compile(`^other <HOST>$`, RegexOptions{}); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	n := len(c.m)
	c.mu.Unlock()
	if n != 1 {
		t.Errorf("%d entries after the other regexes were dropped, want 1", n)
	}
}
