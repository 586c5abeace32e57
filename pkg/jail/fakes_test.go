package jail

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"
)

// recorder is a recording Actions.
type recorder struct {
	mu      sync.Mutex
	events  []string
	tickets []Ticket
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.events = append(r.events, s)
	r.mu.Unlock()
}

func (r *recorder) Start(context.Context) error { r.add("start"); return nil }
func (r *recorder) Stop(context.Context) error  { r.add("stop"); return nil }
func (r *recorder) Ban(_ context.Context, t Ticket) error {
	r.mu.Lock()
	r.tickets = append(r.tickets, t)
	r.mu.Unlock()
	r.add("ban " + t.String())
	return nil
}
func (r *recorder) Unban(_ context.Context, t Ticket) error { r.add("unban " + t.String()); return nil }
func (r *recorder) Flush(_ context.Context, ts []Ticket) error {
	var ids []string
	for _, t := range ts {
		ids = append(ids, t.String())
	}
	r.add(fmt.Sprintf("flush %v", ids))
	return nil
}

func (r *recorder) get() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// memStore is an in-memory Store keeping bips rows.
type memStore struct {
	mu   sync.Mutex
	rows map[string]map[string]Ticket // jail → id → latest ban
	adds int
	dels []string
}

func newMemStore() *memStore { return &memStore{rows: map[string]map[string]Ticket{}} }

func (s *memStore) AddBan(_ context.Context, jail string, t Ticket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rows[jail] == nil {
		s.rows[jail] = map[string]Ticket{}
	}
	s.rows[jail][t.String()] = t
	s.adds++
	return nil
}

func (s *memStore) DelBans(_ context.Context, jail string, ids ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(ids) == 0 {
		delete(s.rows, jail)
		s.dels = append(s.dels, jail+":*")
	}
	for _, id := range ids {
		delete(s.rows[jail], id)
		s.dels = append(s.dels, jail+":"+id)
	}
	return nil
}

func (s *memStore) LastBan(_ context.Context, jail, id string, overall bool) (BanRecord, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rec BanRecord
	found := false
	for j, rows := range s.rows {
		if j != jail && !overall {
			continue
		}
		if t, ok := rows[id]; ok {
			found = true
			rec.Count += t.BanCount
			if t.Time.After(rec.Time) {
				rec.Time = t.Time
			}
			rec.BanTime += t.BanTime
		}
	}
	return rec, found, nil
}

func (s *memStore) CurrentBans(_ context.Context, jail string, since time.Time) ([]Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Ticket
	for _, t := range s.rows[jail] {
		if t.Time.After(since) {
			t.Restored = false
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b Ticket) int { return a.Time.Compare(b.Time) })
	return out, nil
}

// fakeClock is a settable clock for tests that do not run the loop.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type cmdFunc func(ctx context.Context, cmd string, t Ticket) (bool, error)

func (f cmdFunc) Ignore(ctx context.Context, cmd string, t Ticket) (bool, error) {
	return f(ctx, cmd, t)
}

func newTestJail(t *testing.T, opts Options) *Jail {
	t.Helper()
	if opts.Name == "" {
		opts.Name = "test"
	}
	j, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

func fail(s string, at time.Time) Failure {
	return Failure{IP: ip(s), Time: at, Matches: []string{"line from " + s}}
}

// fakeResolver maps host names to addresses.
type fakeResolver map[string][]string

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, s := range f[host] {
		out = append(out, netip.MustParseAddr(s))
	}
	if out == nil {
		return nil, fmt.Errorf("lookup %q: no such host", host)
	}
	return out, nil
}
