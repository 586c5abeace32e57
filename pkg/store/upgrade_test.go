package store

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Older layouts fail2ban may leave behind.
var legacySchemas = map[int][]string{
	2: {
		"CREATE TABLE fail2banDb(version INTEGER)",
		"INSERT INTO fail2banDb VALUES(2)",
		ddlJails[0], ddlJails[1], ddlLogs[0], ddlLogs[1], ddlLogs[2],
		"CREATE TABLE bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, data JSON, FOREIGN KEY(jail) REFERENCES jails(name) )",
		"CREATE INDEX bans_jail_timeofban_ip ON bans(jail, timeofban)",
		"INSERT INTO jails VALUES('sshd', 1), ('web', 0)",
		"INSERT INTO logs VALUES('sshd', '/var/log/auth.log', 'abc', 77)",
		`INSERT INTO bans VALUES('sshd', '192.0.2.1', 1699990000, CAST('{"matches": ["l1"], "failures": 1}' AS BLOB))`,
		`INSERT INTO bans VALUES('sshd', '192.0.2.1', 1699999000, CAST('{"matches": ["l2"], "failures": 2}' AS BLOB))`,
		`INSERT INTO bans VALUES('web', '192.0.2.9', 1699999500, '{"matches": [], "failures": 0}')`,
	},
	3: {
		"CREATE TABLE fail2banDb(version INTEGER)",
		"INSERT INTO fail2banDb VALUES(3)",
		ddlJails[0], ddlJails[1], ddlLogs[0], ddlLogs[1], ddlLogs[2],
		ddlBans[0], ddlBans[1], ddlBans[2], ddlBans[3],
		"INSERT INTO jails VALUES('sshd', 1)",
		`INSERT INTO bans VALUES('sshd', '192.0.2.1', 1699990000, 600, 1, CAST('{"matches": ["l1"], "failures": 1}' AS BLOB))`,
		`INSERT INTO bans VALUES('sshd', '192.0.2.1', 1699999000, 1200, 2, CAST('{"matches": ["l2"], "failures": 2}' AS BLOB))`,
		`INSERT INTO bans VALUES('sshd', '192.0.2.5', 1699999900, -1, 1, NULL)`,
	},
}

func writeLegacy(t *testing.T, path string, version int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range legacySchemas[version] {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCompat_Upgrade upgrades old databases with fail2ban and with this
// package and requires the same schema, rows and reads.
func TestCompat_Upgrade(t *testing.T) {
	requireOracle(t)
	for _, version := range []int{2, 3} {
		t.Run("v"+strconv.Itoa(version), func(t *testing.T) {
			dir := t.TempDir()
			ours, theirs := filepath.Join(dir, "ours.db"), filepath.Join(dir, "theirs.db")
			writeLegacy(t, ours, version)
			copyFile(t, ours, theirs)
			oracle(t, "create", theirs)
			openAt(t, ours, sampleNow).Close()
			if got, want := oracle(t, "schema", ours), oracle(t, "schema", theirs); !bytes.Equal(got, want) {
				t.Errorf("schema after upgrade\n got: %s\nwant: %s", got, want)
			}
			compareRows(t, ours, theirs)
			now := strconv.Itoa(sampleNow)
			if got, want := oracle(t, "dump", ours, now), oracle(t, "dump", theirs, now); !bytes.Equal(got, want) {
				t.Errorf("dump after upgrade\n got: %s\nwant: %s", got, want)
			}
			backups, _ := filepath.Glob(ours + ".2023*")
			if len(backups) != 1 {
				t.Errorf("backups = %v, want one %s.<date>", backups, ours)
			}
		})
	}
}

// TestOpen_UpgradeReads checks what a restore sees after an upgrade from
// version 2: unknown bantimes become the jail's.
func TestOpen_UpgradeReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	writeLegacy(t, path, 2)
	st := openAt(t, path, 1699999600)
	defer st.Close()
	ctx := context.Background()
	if err := st.AddJail(ctx, "sshd"); err != nil {
		t.Fatal(err)
	}
	cur, err := st.CurrentBans(ctx, CurrentQuery{Jail: "sshd", JailBanTime: 3600})
	if err != nil {
		t.Fatal(err)
	}
	if len(cur) != 1 || cur[0].IP != "192.0.2.1" || cur[0].BanTime != 3600 || cur[0].BanCount != 1 ||
		cur[0].Data.Failures != 2 || cur[0].Data.Matches[0].Line() != "l2" {
		t.Errorf("CurrentBans after v2 upgrade = %+v", cur)
	}
}
