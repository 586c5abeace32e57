package persist

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/f2b/f2b/test/persist/fillstore"
)

// TestCrash_BansDurableBeforeActions fires banip batches over the socket
// and kills the server with SIGKILL mid-stream: every address whose ban
// action ran (it is in the record file) must be in the database, and
// must be banned again after the next start.
func TestCrash_BansDurableBeforeActions(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills and restarts the server")
	}
	e := newEnv(t, "", 1)
	e.write("jail.local", "[php-api]\nenabled = true\nfilter = php-api\nlogpath = "+e.dir+
		"/php-api.log\nbantime = 1d\naction = record\n")
	e.appendLines("php-api.log")
	e.start(ourServer)
	const batch = 200
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for b := 0; ; b++ {
			select {
			case <-stop:
				return
			default:
			}
			args := []string{"set", "php-api", "banip"}
			for i := range batch {
				args = append(args, fillstore.IP(b*batch+i))
			}
			if _, err := e.client(args...); err != nil {
				return // the server is gone
			}
		}
	}()
	// 1100 is inside a batch of 200: the kill lands while actions run.
	eventually(t, "1100 ban actions", func() bool { return banLines(e.readFile("bans")) >= 1100 })
	e.kill()
	close(stop)
	wg.Wait()
	acted := map[string]bool{}
	for l := range strings.SplitSeq(e.readFile("bans"), "\n") {
		if ip, ok := strings.CutPrefix(l, "ban "); ok {
			acted[ip] = true
		}
	}
	inDB := map[string]bool{}
	for _, ip := range queryStrings(t, e.path("f2b.sqlite3"), "SELECT ip FROM bips WHERE jail = 'php-api'") {
		inDB[ip] = true
	}
	lost := 0
	for ip := range acted {
		if !inDB[ip] {
			lost++
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d bans whose action ran are not in the database after kill -9", lost, len(acted))
	}
	e.start(ourServer)
	var status string
	eventuallyOr(t, "bans restored after the crash", func() bool {
		status, _ = e.client("status", "php-api", "--short")
		return statusField(status, "Currently banned") == strconv.Itoa(len(inDB))
	}, func() string { return status })
	t.Logf("%d bans acted before kill -9, %d in the database, all restored", len(acted), len(inDB))
}
