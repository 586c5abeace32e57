package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// UpdateJournal queues the position of a journal jail as fail2ban stores
// it: path "systemd-journal", firstlinemd5 the ISO time of the last entry,
// lastfilepos its epoch time as a float.
func (s *Store) UpdateJournal(jail, iso string, epoch float64) error {
	return s.enqueue(&op{run: func(b *batch) error {
		res, err := b.exec("UPDATE logs SET firstlinemd5=?, lastfilepos=? WHERE jail=? AND path=?",
			iso, epoch, jail, JournalPath)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		_, err = b.exec("INSERT OR REPLACE INTO logs(jail, path, firstlinemd5, lastfilepos) VALUES(?, ?, ?, ?)",
			jail, JournalPath, iso, epoch)
		return err
	}})
}

// Journal returns the stored journal position of jail.
func (s *Store) Journal(ctx context.Context, jail string) (iso string, epoch float64, ok bool, err error) {
	var h sql.NullString
	var t sql.NullFloat64
	err = s.do(ctx, true, func(b *batch) error {
		return b.queryRow("SELECT firstlinemd5, lastfilepos FROM logs WHERE jail=? AND path=?", jail, JournalPath).
			Scan(&h, &t)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, false, nil
	}
	if err != nil {
		return "", 0, false, fmt.Errorf("read journal position of jail %q: %w", jail, err)
	}
	return h.String, t.Float64, true, nil
}
