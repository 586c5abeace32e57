package store

import (
	"context"
	"fmt"
)

// BanRecords returns the history rows (table bans) of ip, in jail or in all
// jails when jail is "", newest first.
func (s *Store) BanRecords(ctx context.Context, ip, jail string) ([]Ban, error) {
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	query := "SELECT ip, timeofban, bantime, bancount, data, jail FROM bans WHERE ip=?"
	args := []any{ip}
	if jail != "" {
		query += " AND jail=?"
		args = append(args, jail)
	}
	rows, err := s.rdb.QueryContext(ctx, query+" ORDER BY ip, timeofban desc", args...)
	if err != nil {
		return nil, fmt.Errorf("ban records of %q: %w", ip, err)
	}
	defer rows.Close()
	var out []Ban
	for rows.Next() {
		var j string
		b, err := s.scanBan(jailScanner{rows, &j}, "")
		if err != nil {
			return nil, fmt.Errorf("ban records of %q: %w", ip, err)
		}
		b.Jail = j
		out = append(out, b)
	}
	return out, rows.Err()
}

// jailScanner appends the jail column to the five scanBan reads.
type jailScanner struct {
	r    scanner
	jail *string
}

func (j jailScanner) Scan(dest ...any) error { return j.r.Scan(append(dest, j.jail)...) }

// Merged combines the history of ip (in jail, or all jails for "") the way
// fail2ban's <ipmatches>/<ipfailures> see it: matches of the newest bans
// first, at most dbmaxmatches in all, and failures summed (a ban without a
// failure count counts one).
func (s *Store) Merged(ctx context.Context, ip, jail string) (Data, error) {
	recs, err := s.BanRecords(ctx, ip, jail)
	if err != nil {
		return Data{}, err
	}
	maxm := s.MaxMatches()
	var d Data
	for _, r := range recs {
		if room := maxm - len(d.Matches); room > 0 {
			m := lastMatches(r.Data.Matches, room)
			d.Matches = append(append([]Match{}, m...), d.Matches...)
		}
		d.Failures += r.Data.failuresOrOne()
		d.Fields = mergeFields(d.Fields, r.Data.Fields)
	}
	return d, nil
}

// mergeFields updates dst with src like Python's dict.update.
func mergeFields(dst, src []Field) []Field {
	for _, f := range src {
		i := 0
		for i < len(dst) && dst[i].Key != f.Key {
			i++
		}
		if i < len(dst) {
			dst[i].Value = f.Value
			continue
		}
		dst = append(dst, f)
	}
	return dst
}
