package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// CurrentQuery selects the bans that are still in effect, from bips, with
// the semantics of fail2ban's getCurrentBans (used to restore bans when a
// jail starts, and for listing banned IPs from the database).
type CurrentQuery struct {
	// Jail limits the result to one jail; "" reads all jails and returns
	// one row (the latest ban) per IP.
	Jail string
	// IP limits the result to one address.
	IP string
	// ForBanTime, in seconds, only considers bans that started within it
	// (the jail's bantime when bantime.increment is off). Zero or
	// Permanent: no limit.
	ForBanTime int64
	// MaxBanTime, in seconds, shortens longer and permanent bans to it
	// (the jail's bantime, or bantime.maxtime with increment). Zero or
	// negative: no correction.
	MaxBanTime int64
	// JailBanTime replaces UnknownBanTime rows (zero: MaxBanTime, else 600).
	JailBanTime int64
	// MaxMatches keeps the last n matches of each ban (the jail's
	// maxmatches); zero uses the store's dbmaxmatches, negative drops them.
	MaxMatches int
}

func (q CurrentQuery) sql(now float64) (string, []any) {
	var b strings.Builder
	var args []any
	if q.Jail != "" {
		// NOT INDEXED: a restore reads most of the table, and a sequential
		// scan beats one random seek per row through bips_timeofban. Rows
		// come in table order (order of the latest bans); fail2ban's order
		// depends on SQLite's plan and is not part of the file format.
		b.WriteString("SELECT ip, timeofban, bantime, bancount, data FROM bips ")
		if q.IP == "" {
			b.WriteString("NOT INDEXED ")
		}
		b.WriteString("WHERE jail=?")
		args = append(args, q.Jail)
	} else {
		b.WriteString("SELECT ip, max(timeofban), bantime, bancount, data FROM bips WHERE 1")
	}
	if q.IP != "" {
		b.WriteString(" AND ip=?")
		args = append(args, q.IP)
	}
	b.WriteString(" AND (timeofban + bantime > ? OR bantime <= -1)")
	args = append(args, now)
	if q.ForBanTime != 0 && q.ForBanTime != Permanent {
		b.WriteString(" AND timeofban > ?")
		args = append(args, now-float64(q.ForBanTime))
	}
	if q.IP == "" {
		if q.Jail == "" {
			b.WriteString(" GROUP BY ip ORDER BY ip, timeofban DESC")
		}
	} else {
		b.WriteString(" ORDER BY timeofban DESC LIMIT 1")
	}
	return b.String(), args
}

// correct applies the bantime fixes of a restore; false drops the row.
func (q CurrentQuery) correct(b *Ban, now float64) bool {
	switch {
	case b.BanTime == UnknownBanTime:
		b.BanTime = q.JailBanTime
		if b.BanTime == 0 {
			b.BanTime = q.MaxBanTime
		}
		if b.BanTime <= 0 {
			b.BanTime = 600
		}
	case q.MaxBanTime > 0 && (b.BanTime == Permanent || b.BanTime > q.MaxBanTime):
		b.BanTime = q.MaxBanTime
	}
	return b.BanTime == Permanent || float64(b.Time.Unix()+b.BanTime) > now
}

// CurrentBans returns the bans in effect now, after the writes queued so
// far have been committed.
func (s *Store) CurrentBans(ctx context.Context, q CurrentQuery) ([]Ban, error) {
	var out []Ban
	err := s.CurrentBansFunc(ctx, q, func(bans []Ban) error {
		out = append(out, bans...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CurrentBansFunc is CurrentBans in chunks: fn receives the bans in row
// order, a chunk at a time, while later rows are still being read and
// decoded, so a restore of a million bans overlaps reading the database
// with banning. fn must not keep the slice. An error from fn stops the
// read and is returned.
func (s *Store) CurrentBansFunc(ctx context.Context, q CurrentQuery, fn func([]Ban) error) error {
	if err := s.Flush(ctx); err != nil {
		return err
	}
	now := float64(s.opts.Now().UnixNano()) / 1e9
	query, args := q.sql(now)
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("current bans of jail %q: %w", q.Jail, err)
	}
	defer rows.Close()
	maxm := q.MaxMatches
	if maxm == 0 {
		maxm = s.MaxMatches()
	}
	d := newDecoder(func(b *Ban) bool {
		if b.IP == "" || !q.correct(b, now) {
			return false
		}
		b.Data.Matches = lastMatches(b.Data.Matches, maxm)
		return true
	}, s.opts.Logger)
	rs := newRowScanner()
	err = d.stream(func(p *pendingBan) (bool, error) {
		if !rows.Next() {
			return false, rows.Err()
		}
		if err := rs.scan(rows, p); err != nil {
			return false, err
		}
		p.ban.Jail = q.Jail
		return true, nil
	}, fn)
	if err != nil {
		return fmt.Errorf("current bans of jail %q: %w", q.Jail, err)
	}
	return nil
}

func lastMatches(m []Match, n int) []Match {
	if n <= 0 {
		return nil
	}
	if len(m) > n {
		return m[len(m)-n:]
	}
	return m
}

type scanner interface{ Scan(...any) error }

// scanBan reads (ip, timeofban, bantime, bancount, data).
func (s *Store) scanBan(r scanner, jail string) (Ban, error) {
	var (
		ip       sql.NullString
		tob, bt  sql.NullFloat64
		count    sql.NullInt64
		raw      sql.RawBytes
		bantimed Ban
	)
	if err := r.Scan(&ip, &tob, &bt, &count, &raw); err != nil {
		return bantimed, err
	}
	d, err := decodeData(raw)
	if err != nil {
		s.opts.Logger.Debug("undecodable ban data", "ip", ip.String, "err", err)
	}
	return Ban{
		Jail: jail, IP: ip.String, Time: time.Unix(int64(tob.Float64), 0),
		BanTime: int64(bt.Float64), BanCount: int(count.Int64), Data: d,
	}, nil
}

// History is what bantime.increment knows about an IP's previous bans.
type History struct {
	// Count is the ban count of the latest ban (summed over jails when
	// overall).
	Count int
	// Last is the start of the latest ban.
	Last time.Time
	// BanTime is the bantime of that ban (summed over jails when overall).
	BanTime int64
}

// History looks an IP up in bips: in jail, or over all jails when overall
// is set (bantime.overalljails). It sees bans queued before it.
func (s *Store) History(ctx context.Context, ip, jail string, overall bool) (History, bool, error) {
	query := "SELECT bancount, timeofban, bantime FROM bips WHERE ip = ? AND jail=?"
	args := []any{ip, jail}
	if overall {
		query = "SELECT sum(bancount), max(timeofban), sum(bantime) FROM bips WHERE ip = ? GROUP BY ip ORDER BY timeofban DESC LIMIT 1"
		args = args[:1]
	}
	var h History
	found := false
	err := s.do(ctx, true, func(b *batch) error {
		var c, t, bt sql.NullFloat64
		err := b.queryRow(query, args...).Scan(&c, &t, &bt)
		if err == sql.ErrNoRows {
			return nil
		}
		found = err == nil
		h = History{Count: int(c.Float64), Last: time.Unix(int64(t.Float64), 0), BanTime: int64(bt.Float64)}
		return err
	})
	if err != nil {
		return History{}, false, fmt.Errorf("ban history of %q: %w", ip, err)
	}
	return h, found, nil
}
