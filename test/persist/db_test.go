package persist

import (
	"database/sql"
	"strconv"
	"testing"

	_ "modernc.org/sqlite" // the database/sql driver pkg/store uses
)

// countRows runs a COUNT query on a database file no server is using.
func countRows(t testing.TB, path, query string) int {
	t.Helper()
	rows := queryStrings(t, path, query)
	if len(rows) != 1 {
		t.Fatalf("%s: %d rows", query, len(rows))
	}
	n, err := strconv.Atoi(rows[0])
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// queryStrings returns the first column of every row of query.
func queryStrings(t testing.TB, path, query string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
