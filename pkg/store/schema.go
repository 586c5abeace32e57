package store

import (
	"context"
	"database/sql"
	"fmt"
)

// SchemaVersion is the fail2ban database version this package writes.
const SchemaVersion = 4

// The statements below produce, in sqlite_master, byte for byte the text that
// fail2ban 1.0.2 and 1.1 store (SQLite drops "IF NOT EXISTS" from the stored
// text). The order is the order fail2ban creates them in.
var (
	ddlVersion = []string{
		"CREATE TABLE IF NOT EXISTS fail2banDb(version INTEGER)",
	}
	ddlJails = []string{
		"CREATE TABLE IF NOT EXISTS jails(name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1)",
		"CREATE INDEX IF NOT EXISTS jails_name ON jails(name)",
	}
	ddlLogs = []string{
		"CREATE TABLE IF NOT EXISTS logs(jail TEXT NOT NULL, path TEXT, firstlinemd5 TEXT, lastfilepos INTEGER DEFAULT 0, " +
			"FOREIGN KEY(jail) REFERENCES jails(name) ON DELETE CASCADE, UNIQUE(jail, path),UNIQUE(jail, path, firstlinemd5))",
		"CREATE INDEX IF NOT EXISTS logs_path ON logs(path)",
		"CREATE INDEX IF NOT EXISTS logs_jail_path ON logs(jail, path)",
	}
	ddlBans = []string{
		"CREATE TABLE IF NOT EXISTS bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL, " +
			"bancount INTEGER NOT NULL default 1, data JSON, FOREIGN KEY(jail) REFERENCES jails(name) )",
		"CREATE INDEX IF NOT EXISTS bans_jail_timeofban_ip ON bans(jail, timeofban)",
		"CREATE INDEX IF NOT EXISTS bans_jail_ip ON bans(jail, ip)",
		"CREATE INDEX IF NOT EXISTS bans_ip ON bans(ip)",
	}
	ddlBips = []string{
		"CREATE TABLE IF NOT EXISTS bips(ip TEXT NOT NULL, jail TEXT NOT NULL, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL, " +
			"bancount INTEGER NOT NULL default 1, data JSON, PRIMARY KEY(ip, jail), FOREIGN KEY(jail) REFERENCES jails(name) )",
		"CREATE INDEX IF NOT EXISTS bips_timeofban ON bips(timeofban)",
		"CREATE INDEX IF NOT EXISTS bips_ip ON bips(ip)",
	}
)

func execAll(ctx context.Context, tx *sql.Tx, stmts ...[]string) error {
	for _, group := range stmts {
		for _, q := range group {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("executing %q: %w", q, err)
			}
		}
	}
	return nil
}

func tableExists(ctx context.Context, tx *sql.Tx, name string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx,
		"SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", name).Scan(&n)
	return n > 0, err
}

// readVersion returns the schema version, or 0 when the file has no version
// table yet (a new database).
func readVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	ok, err := tableExists(ctx, tx, "fail2banDb")
	if err != nil || !ok {
		return 0, err
	}
	var v sql.NullInt64
	err = tx.QueryRowContext(ctx, "SELECT version FROM fail2banDb LIMIT 1").Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return int(v.Int64), err
}

// create makes a new, empty version-4 database.
func create(ctx context.Context, tx *sql.Tx) error {
	if err := execAll(ctx, tx, ddlVersion, ddlJails, ddlLogs, ddlBans, ddlBips); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx,
		"INSERT INTO fail2banDb(version) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM fail2banDb LIMIT 1)",
		SchemaVersion)
	return err
}

// upgrade brings a version 1–3 database to version 4 the way fail2ban does:
// v1→2 rebuilds logs (new UNIQUE constraints), v2→3 rebuilds bans with
// bantime -2 ("unknown") and bancount 1, v3→4 adds bips filled from bans in
// timeofban order, so the latest ban of each (ip, jail) wins.
func upgrade(ctx context.Context, tx *sql.Tx, from int) error {
	steps := []struct {
		below int
		table string
		run   func(context.Context, *sql.Tx) error
	}{
		{below: 2, table: "logs", run: upgradeLogs},
		{below: 3, table: "bans", run: upgradeBans},
		{below: 4, table: "", run: upgradeBips},
	}
	for _, s := range steps {
		if from >= s.below {
			continue
		}
		if s.table != "" {
			ok, err := tableExists(ctx, tx, s.table)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		if err := s.run(ctx, tx); err != nil {
			return fmt.Errorf("upgrading from version %d: %w", from, err)
		}
	}
	// Tables a very old file may lack.
	if err := execAll(ctx, tx, ddlJails, ddlLogs, ddlBans); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "UPDATE fail2banDb SET version = ?", SchemaVersion)
	return err
}

func upgradeLogs(ctx context.Context, tx *sql.Tx) error {
	return rebuild(ctx, tx, "logs", "SELECT * FROM logs", ddlLogs)
}

func upgradeBans(ctx context.Context, tx *sql.Tx) error {
	return rebuild(ctx, tx, "bans",
		"SELECT jail, ip, timeofban, -2 as bantime, 1 as bancount, data FROM bans", ddlBans)
}

// rebuild recreates table with its current DDL (ddl[0]) and indexes,
// keeping the rows that sel selects from the old table.
func rebuild(ctx context.Context, tx *sql.Tx, table, sel string, ddl []string) error {
	tmp := table + "_temp"
	before := []string{
		"CREATE TEMPORARY TABLE " + tmp + " AS " + sel,
		"DROP TABLE " + table,
	}
	after := []string{
		"INSERT INTO " + table + " SELECT * FROM " + tmp,
		"DROP TABLE " + tmp,
	}
	return execAll(ctx, tx, before, ddl, after)
}

func upgradeBips(ctx context.Context, tx *sql.Tx) error {
	ok, err := tableExists(ctx, tx, "bips")
	if err != nil || ok {
		return err
	}
	if err := execAll(ctx, tx, ddlBips); err != nil {
		return err
	}
	ok, err = tableExists(ctx, tx, "bans")
	if err != nil || !ok {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT OR REPLACE INTO bips(ip, jail, timeofban, bantime, bancount, data)"+
		" SELECT ip, jail, timeofban, bantime, bancount, data FROM bans ORDER BY timeofban")
	return err
}
