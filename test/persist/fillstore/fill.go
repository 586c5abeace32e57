// Package fillstore fills a fail2ban database with many active bans, for
// the restore tests and benchmark of test/persist.
package fillstore

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/f2b/f2b/pkg/store"
)

// IP is the i-th filler address (i < 2^24), in 10.0.0.0/8.
func IP(i int) string {
	return netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String()
}

// Fill adds n bans of one day to jail, banned one minute before now, each
// with one match line, and waits until they are committed.
func Fill(ctx context.Context, path, jail string, n int, now time.Time) error {
	st, err := store.Open(ctx, store.DefaultOptions(path))
	if err != nil {
		return err
	}
	if err := st.AddJail(ctx, jail); err != nil {
		st.Close()
		return fmt.Errorf("add jail %q: %w", jail, err)
	}
	at := now.Add(-time.Minute)
	for i := range n {
		ip := IP(i)
		b := store.Ban{Jail: jail, IP: ip, Time: at, BanTime: 86400, BanCount: 1,
			Data: store.Data{Failures: 1, Matches: []store.Match{{"filler failure from " + ip}}}}
		if err := st.AddBan(b); err != nil {
			st.Close()
			return fmt.Errorf("add ban %q: %w", ip, err)
		}
	}
	return st.Close()
}
