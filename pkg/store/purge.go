package store

import (
	"context"
	"fmt"
)

// outdatedFactor: a bips row is kept until its ban has been over for
// three times its bantime beyond the purge age (fail2ban's outDatedFactor).
const outdatedFactor = 3

// Purge deletes history older than dbpurgeage, outdated bips rows (never
// permanent ones) and disabled jails left without bans, whose logs rows
// go with them. fail2ban runs it hourly, the first time an hour after start.
func (s *Store) Purge(ctx context.Context) error {
	now := s.opts.Now()
	age := int64(s.PurgeAge().Seconds())
	cutoff := now.Unix() - age
	err := s.do(ctx, false, func(b *batch) error {
		if _, err := b.exec("DELETE FROM bans WHERE timeofban < ?", float64(now.UnixNano())/1e9-float64(age)); err != nil {
			return err
		}
		if _, err := b.exec("DELETE FROM bips WHERE timeofban < ? and bantime != -1 and (timeofban + (bantime * ?)) < ?",
			cutoff, outdatedFactor, cutoff); err != nil {
			return err
		}
		_, err := b.exec("DELETE FROM jails WHERE enabled = 0 " +
			"AND NOT EXISTS(SELECT * FROM bans WHERE jail = jails.name) " +
			"AND NOT EXISTS(SELECT * FROM bips WHERE jail = jails.name)")
		return err
	})
	if err != nil {
		return fmt.Errorf("purge database: %w", err)
	}
	return nil
}
