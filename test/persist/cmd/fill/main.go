// Command fill writes n active bans of one jail into a fail2ban database
// through pkg/store, to measure restoring a large ban list
// (scripts/bench/persist.sh).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/f2b/f2b/test/persist/fillstore"
)

func main() {
	db := flag.String("db", "", "database file")
	jail := flag.String("jail", "php-api", "jail name")
	n := flag.Int("n", 1_000_000, "number of bans")
	flag.Parse()
	start := time.Now()
	if err := fillstore.Fill(context.Background(), *db, *jail, *n, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "fill:", err)
		os.Exit(1)
	}
	fmt.Printf("filled %d bans in %.2fs\n", *n, time.Since(start).Seconds())
}
