package server

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/f2b/f2b/pkg/action"
	"github.com/f2b/f2b/pkg/ipaddr"
	"github.com/f2b/f2b/pkg/jail"
	"github.com/f2b/f2b/pkg/store"
)

// Runner runs action commands (pkg/action's contract).
type Runner = action.Runner

// actionList adapts a jail's ordered command actions to jail.Actions. The
// list changes under the socket's addaction/delaction while the jail runs,
// so every call works on a snapshot.
type actionList struct {
	mu   sync.RWMutex
	list []*action.Action
}

func (l *actionList) snapshot() []*action.Action {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return append([]*action.Action(nil), l.list...)
}

func (l *actionList) get(name string) *action.Action {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, a := range l.list {
		if a.Name() == name {
			return a
		}
	}
	return nil
}

func (l *actionList) add(a *action.Action) {
	l.mu.Lock()
	l.list = append(l.list, a)
	l.mu.Unlock()
}

func (l *actionList) remove(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, a := range l.list {
		if a.Name() == name {
			l.list = append(l.list[:i], l.list[i+1:]...)
			return true
		}
	}
	return false
}

func (l *actionList) names() []any {
	out := []any{}
	for _, a := range l.snapshot() {
		out = append(out, a.Name())
	}
	return out
}

func (l *actionList) Start(ctx context.Context) error {
	var errs []error
	for _, a := range l.snapshot() {
		errs = append(errs, a.Start(ctx))
	}
	return errors.Join(errs...)
}

func (l *actionList) Ban(ctx context.Context, t jail.Ticket) error {
	at := actionTicket(t)
	var errs []error
	for _, a := range l.snapshot() {
		if t.Restored && a.NoRestored() {
			continue
		}
		errs = append(errs, a.Ban(ctx, at))
	}
	return errors.Join(errs...)
}

// ticketArrays recycles BanMany's arrays of action tickets.
var ticketArrays sync.Pool // *[]action.Ticket

// BanMany implements jail.BulkActions for restored tickets: actions that
// implement action.BulkBanner get the whole batch at once (one nft or
// ipset restore script), the others one Ban per ticket; actions with
// norestored skip restored tickets as in Ban.
func (l *actionList) BanMany(ctx context.Context, tickets []jail.Ticket) error {
	var errs []error
	// The action tickets live in one array, built once for every action
	// (as Ban shares its ticket) and recycled: a restore passes a million
	// tickets in batches, and the actions keep none of them.
	bp, _ := ticketArrays.Get().(*[]action.Ticket)
	if bp == nil {
		bp = new([]action.Ticket)
	}
	conv := slices.Grow((*bp)[:0], len(tickets))[:len(tickets)]
	defer func() {
		clear(conv)
		*bp = conv[:0]
		ticketArrays.Put(bp)
	}()
	for i := range tickets {
		conv[i] = *actionTicket(tickets[i])
	}
	for _, a := range l.snapshot() {
		ats := make([]*action.Ticket, 0, len(tickets))
		for i := range conv {
			if !conv[i].Restored || !a.NoRestored() {
				ats = append(ats, &conv[i])
			}
		}
		if len(ats) == 0 {
			continue
		}
		if b, ok := any(a).(action.BulkBanner); ok {
			errs = append(errs, b.BanMany(ctx, ats))
			continue
		}
		for _, at := range ats {
			errs = append(errs, a.Ban(ctx, at))
		}
	}
	return errors.Join(errs...)
}

func (l *actionList) Unban(ctx context.Context, t jail.Ticket) error {
	at := actionTicket(t)
	var errs []error
	for _, a := range l.snapshot() {
		errs = append(errs, a.Unban(ctx, at))
	}
	return errors.Join(errs...)
}

func (l *actionList) Flush(ctx context.Context, tickets []jail.Ticket) error {
	var errs []error
	for _, a := range l.snapshot() {
		if a.HasFlush() {
			errs = append(errs, a.Flush(ctx))
			continue
		}
		for _, t := range tickets {
			errs = append(errs, a.Unban(ctx, actionTicket(t)))
		}
	}
	return errors.Join(errs...)
}

func (l *actionList) Stop(ctx context.Context) error {
	acts := l.snapshot()
	var errs []error
	for i := len(acts) - 1; i >= 0; i-- {
		errs = append(errs, acts[i].Stop(ctx))
	}
	return errors.Join(errs...)
}

func actionTicket(t jail.Ticket) *action.Ticket {
	return &action.Ticket{
		IP:       t.IP,
		ID:       t.ID,
		Failures: t.Failures,
		Time:     t.Time,
		BanTime:  t.BanTime,
		BanCount: t.BanCount,
		Matches:  t.Matches,
		Data:     t.Tags.Map(),
		Restored: t.Restored,
	}
}

// Compile-time checks of the optional jail interfaces.
var (
	_ jail.BulkActions = (*actionList)(nil)
	_ jail.Syncer      = storeAdapter{}
	_ jail.BanStreamer = storeAdapter{}
)

// storeAdapter adapts pkg/store to the jail's small Store interface.
type storeAdapter struct {
	st  *store.Store
	now func() time.Time
}

func (a storeAdapter) AddBan(ctx context.Context, jailName string, t jail.Ticket) error {
	bt := int64(t.BanTime / time.Second)
	if t.BanTime < 0 {
		bt = -1
	}
	d := store.Data{Failures: t.Failures}
	for _, m := range t.Matches {
		d.Matches = append(d.Matches, store.Match{m})
	}
	for _, tg := range t.Tags {
		d.Fields = append(d.Fields, store.Field{Key: tg.Name, Value: tg.Value})
	}
	return a.st.AddBan(store.Ban{Jail: jailName, IP: t.String(), Time: t.Time, BanTime: bt, BanCount: t.BanCount, Data: d})
}

// Sync implements jail.Syncer: AddBan only queues, and the jail calls
// Sync once per batch before running the actions of its bans.
func (a storeAdapter) Sync(ctx context.Context) error {
	return a.st.Flush(ctx)
}

func (a storeAdapter) DelBans(ctx context.Context, jailName string, ids ...string) error {
	return a.st.DelBan(ctx, jailName, ids...)
}

func (a storeAdapter) LastBan(ctx context.Context, jailName, id string, overall bool) (jail.BanRecord, bool, error) {
	h, ok, err := a.st.History(ctx, id, jailName, overall)
	if err != nil || !ok {
		return jail.BanRecord{}, ok, err
	}
	return jail.BanRecord{Count: h.Count, Time: h.Last, BanTime: time.Duration(h.BanTime) * time.Second}, true, nil
}

func (a storeAdapter) currentQuery(jailName string, since time.Time) store.CurrentQuery {
	q := store.CurrentQuery{Jail: jailName}
	if !since.IsZero() {
		q.ForBanTime = int64(a.now().Sub(since) / time.Second)
	}
	return q
}

func (a storeAdapter) CurrentBans(ctx context.Context, jailName string, since time.Time) ([]jail.Ticket, error) {
	var out []jail.Ticket
	err := a.EachCurrentBan(ctx, jailName, since, func(t []jail.Ticket) error {
		out = append(out, t...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachCurrentBan implements jail.BanStreamer: the store's rows reach the
// jail chunk by chunk while later ones are still being read.
func (a storeAdapter) EachCurrentBan(ctx context.Context, jailName string, since time.Time, fn func([]jail.Ticket) error) error {
	var out []jail.Ticket
	return a.st.CurrentBansFunc(ctx, a.currentQuery(jailName, since), func(bans []store.Ban) error {
		out = out[:0]
		for i := range bans {
			out = append(out, restoredTicket(&bans[i]))
		}
		return fn(out)
	})
}

// restoredTicket converts one stored ban for the jail.
func restoredTicket(b *store.Ban) jail.Ticket {
	t := jail.Ticket{Time: b.Time, BanCount: b.BanCount, Failures: b.Data.Failures,
		BanTime: time.Duration(b.BanTime) * time.Second}
	if id := ipaddr.ParseID(b.IP); id.IsSingle() {
		t.IP = id.IP()
	} else {
		t.ID = b.IP
	}
	if len(b.Data.Matches) > 0 {
		t.Matches = make([]string, 0, len(b.Data.Matches))
		for _, m := range b.Data.Matches {
			t.Matches = append(t.Matches, m.Line())
		}
	}
	for _, f := range b.Data.Fields {
		if s, ok := f.Value.(string); ok {
			t.Tags = t.Tags.Set(f.Key, s)
		}
	}
	return t
}
