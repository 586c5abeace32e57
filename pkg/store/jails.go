package store

import (
	"context"
	"fmt"
)

// Jail is a row of the jails table.
type Jail struct {
	Name    string
	Enabled bool
}

// AddJail records a jail as present (enabled), creating its row if needed.
func (s *Store) AddJail(ctx context.Context, name string) error {
	err := s.do(ctx, false, func(b *batch) error {
		if _, err := b.exec("INSERT OR IGNORE INTO jails(name, enabled) VALUES(?, 1)", name); err != nil {
			return err
		}
		_, err := b.exec("UPDATE jails SET enabled = 1 WHERE name = ? AND enabled != 1", name)
		return err
	})
	if err != nil {
		return fmt.Errorf("add jail %q: %w", name, err)
	}
	return nil
}

// DelJail marks a jail as no longer running; its bans are kept.
func (s *Store) DelJail(ctx context.Context, name string) error {
	err := s.do(ctx, false, func(b *batch) error {
		_, err := b.exec("UPDATE jails SET enabled=0 WHERE name=?", name)
		return err
	})
	if err != nil {
		return fmt.Errorf("del jail %q: %w", name, err)
	}
	return nil
}

// Jails lists the jails table in name order.
func (s *Store) Jails(ctx context.Context) ([]Jail, error) {
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, "SELECT name, enabled FROM jails ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list jails: %w", err)
	}
	defer rows.Close()
	var out []Jail
	for rows.Next() {
		var j Jail
		if err := rows.Scan(&j.Name, &j.Enabled); err != nil {
			return nil, fmt.Errorf("list jails: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}
