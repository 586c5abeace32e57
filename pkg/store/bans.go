package store

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Special bantime values.
const (
	// Permanent is the bantime of a ban that never ends.
	Permanent int64 = -1
	// UnknownBanTime marks rows upgraded from a version-2 database; a
	// restore substitutes the jail's bantime.
	UnknownBanTime int64 = -2
)

// Ban is one ban event: a row of bans, and of bips for the latest one.
type Ban struct {
	Jail string
	IP   string
	// Time is the ticket time (start of the ban). It is stored rounded to
	// whole seconds, half to even, as Python's round() does.
	Time time.Time
	// BanTime is the effective ban time in seconds, or Permanent.
	BanTime  int64
	BanCount int
	Data     Data
}

// End returns the end of the ban, and false for a permanent one.
func (b Ban) End() (time.Time, bool) {
	if b.BanTime < 0 {
		return time.Time{}, false
	}
	return b.Time.Add(time.Duration(b.BanTime) * time.Second), true
}

// unixRound converts t to epoch seconds like int(round(ticket.getTime())).
func unixRound(t time.Time) int64 {
	return int64(math.RoundToEven(float64(t.UnixNano()) / 1e9))
}

const (
	qInsertBan = "INSERT INTO bans(jail, ip, timeofban, bantime, bancount, data) VALUES(?, ?, ?, ?, ?, ?)"
	qInsertBip = "INSERT OR REPLACE INTO bips(ip, jail, timeofban, bantime, bancount, data) VALUES(?, ?, ?, ?, ?, ?)"
)

func (s *Store) addBanOp(ban Ban) func(*batch) error {
	data := ban.Data.encode(s.MaxMatches())
	tob := unixRound(ban.Time)
	return func(b *batch) error {
		if _, err := b.exec(qInsertBan, ban.Jail, ban.IP, tob, ban.BanTime, ban.BanCount, data); err != nil {
			return fmt.Errorf("add ban %q to jail %q: %w", ban.IP, ban.Jail, err)
		}
		_, err := b.exec(qInsertBip, ban.IP, ban.Jail, tob, ban.BanTime, ban.BanCount, data)
		if err != nil {
			return fmt.Errorf("add ban %q to jail %q: %w", ban.IP, ban.Jail, err)
		}
		return nil
	}
}

// AddBan queues a ban: a history row in bans and the (ip, jail) row of bips.
// It returns as soon as the ban is queued (blocking only while the queue is
// full); Flush is the barrier after which it is durable. A failed write is
// logged. The jail must have been added with AddJail.
func (s *Store) AddBan(ban Ban) error {
	return s.enqueue(&op{run: s.addBanOp(ban)})
}

// AddBanSync writes a ban and waits until it is committed.
func (s *Store) AddBanSync(ctx context.Context, ban Ban) error {
	return s.do(ctx, false, s.addBanOp(ban))
}

// DelBan removes the bans and bips rows of the given IPs in jail, or of all
// IPs of the jail when none is given (unban, unban --all), and waits for the
// commit. Removing an IP that has no rows is not an error.
func (s *Store) DelBan(ctx context.Context, jail string, ips ...string) error {
	err := s.do(ctx, false, func(b *batch) error {
		if len(ips) == 0 {
			if _, err := b.exec("DELETE FROM bips WHERE jail = ?", jail); err != nil {
				return err
			}
			_, err := b.exec("DELETE FROM bans WHERE jail = ?", jail)
			return err
		}
		for _, ip := range ips {
			if _, err := b.exec("DELETE FROM bips WHERE jail = ? AND ip = ?", jail, ip); err != nil {
				return err
			}
			if _, err := b.exec("DELETE FROM bans WHERE jail = ? AND ip = ?", jail, ip); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("del bans of jail %q: %w", jail, err)
	}
	return nil
}
