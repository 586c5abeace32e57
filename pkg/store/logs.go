package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// JournalPath is the logs.path fail2ban uses for a journal jail's position.
const JournalPath = "systemd-journal"

// LogPos is a row of the logs table: for a file, the hex MD5 of its first
// line (terminator included, "" while incomplete) and the offset of the next
// unread byte. A journal jail stores an ISO time in Hash and epoch seconds in
// Pos (fail2ban stores a float there; it is truncated here).
type LogPos struct {
	Hash string
	Pos  int64
}

// AddLog registers a monitored file as fail2ban's addLog does and reports
// where to resume: ok is true and pos the stored offset when a row exists
// whose hash equals cur.Hash. Without a row, cur is stored if it carries a
// position or a hash.
func (s *Store) AddLog(ctx context.Context, jail, path string, cur LogPos) (pos int64, ok bool, err error) {
	err = s.do(ctx, false, func(b *batch) error {
		var hash sql.NullString
		var last sql.NullFloat64
		qerr := b.queryRow("SELECT firstlinemd5, lastfilepos FROM logs WHERE jail=? AND path=?", jail, path).
			Scan(&hash, &last)
		switch {
		case errors.Is(qerr, sql.ErrNoRows):
			_, err := b.exec("INSERT OR REPLACE INTO logs(jail, path, firstlinemd5, lastfilepos) VALUES(?, ?, ?, ?)",
				jail, path, cur.Hash, cur.Pos)
			return err
		case qerr != nil:
			return qerr
		}
		pos, ok = int64(last.Float64), hash.Valid && hash.String == cur.Hash
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("add log %q of jail %q: %w", path, jail, err)
	}
	return pos, ok, nil
}

// UpdateLog queues a position update (insert if missing). It does not wait;
// Flush makes it durable.
func (s *Store) UpdateLog(jail, path string, p LogPos) error {
	return s.enqueue(&op{run: func(b *batch) error {
		res, err := b.exec("UPDATE logs SET firstlinemd5=?, lastfilepos=? WHERE jail=? AND path=?",
			p.Hash, p.Pos, jail, path)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		_, err = b.exec("INSERT OR REPLACE INTO logs(jail, path, firstlinemd5, lastfilepos) VALUES(?, ?, ?, ?)",
			jail, path, p.Hash, p.Pos)
		return err
	}})
}

// Log returns the stored position of path in jail.
func (s *Store) Log(ctx context.Context, jail, path string) (LogPos, bool, error) {
	var p LogPos
	var hash sql.NullString
	var last sql.NullFloat64
	err := s.do(ctx, true, func(b *batch) error {
		return b.queryRow("SELECT firstlinemd5, lastfilepos FROM logs WHERE jail=? AND path=?", jail, path).
			Scan(&hash, &last)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("read log %q of jail %q: %w", path, jail, err)
	}
	p.Hash, p.Pos = hash.String, int64(last.Float64)
	return p, true, nil
}
