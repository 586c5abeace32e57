package persist

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/f2b/f2b/test/persist/fillstore"
)

// fakeNft writes an nft stand-in to dir/nft: batches (-f -) append their
// script to dir/nft.out and "batch" to dir/nft.calls, single commands
// their arguments and "single".
func fakeNft(t testing.TB, dir string) {
	t.Helper()
	script := "#!/bin/sh\nif [ \"$1\" = -f ]; then cat >> " + dir + "/nft.out; echo batch >> " + dir + "/nft.calls\n" +
		"else echo \"$*\" >> " + dir + "/nft.out; echo single >> " + dir + "/nft.calls; fi\n"
	if err := os.WriteFile(dir+"/nft", []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// nftAction is an nftables-shaped action (so pkg/action batches it) that
// runs the fake nft.
func nftAction(dir string) string {
	return "[Definition]\nactionstart =\nactionstop =\nactioncheck =\n" +
		"actionban = " + dir + "/nft add element inet f2b addr-set-php \\{ <ip> \\}\n" +
		"actionunban = " + dir + "/nft delete element inet f2b addr-set-php \\{ <ip> \\}\n" +
		"actionflush = " + dir + "/nft flush set inet f2b addr-set-php\n"
}

// nftElements counts the addresses added by "add element" lines.
func nftElements(out string) int {
	n := 0
	for l := range strings.SplitSeq(out, "\n") {
		if _, set, ok := strings.Cut(l, "add element inet f2b addr-set-php {"); ok {
			n += strings.Count(set, ",") + 1
		}
	}
	return n
}

func scaleJail(dir string) string {
	return "[php-api]\nenabled = true\nfilter = php-api\nlogpath = " + dir + "/php-api.log\n" +
		"maxretry = 1\nbantime = 1d\naction = fakenft\n"
}

// TestScale_Restore50k fills the database with 50,000 active bans and
// starts the server: all come back in memory and through the action, in
// nft batches rather than one command per ban, and the database keeps them.
func TestScale_Restore50k(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("50k bans")
	}
	const n = 50_000
	e := newEnv(t, "", 1)
	e.write("jail.local", scaleJail(e.dir))
	e.write("action.d/fakenft.conf", nftAction(e.dir))
	fakeNft(t, e.dir)
	e.appendLines("php-api.log")
	if err := fillstore.Fill(t.Context(), e.path("f2b.sqlite3"), "php-api", n, time.Now()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e.start(ourServer)
	var status string
	eventuallyOr(t, "50k bans restored", func() bool {
		status, _ = e.client("status", "php-api", "--short")
		return statusField(status, "Currently banned") == strconv.Itoa(n) && nftElements(e.readFile("nft.out")) == n
	}, func() string { return status + "\nnft elements: " + strconv.Itoa(nftElements(e.readFile("nft.out"))) })
	elapsed := time.Since(start)
	calls := e.readFile("nft.calls")
	if single := countLines(calls, "single"); single != 0 {
		t.Errorf("%d single nft commands, want only batches", single)
	}
	if batches := countLines(calls, "batch"); batches > n/500+10 {
		t.Errorf("%d nft batches for %d bans", batches, n)
	}
	e.stop()
	if got := countRows(t, e.path("f2b.sqlite3"), "SELECT COUNT(*) FROM bips WHERE jail = 'php-api'"); got != n {
		t.Errorf("database holds %d bips rows after restart, want %d", got, n)
	}
	t.Logf("restored %d bans (server start to all in the action) in %v", n, elapsed.Round(time.Millisecond))
}
