package persist

import (
	"strings"
	"testing"
	"time"
)

func migrateJail(dir string) string {
	return "[php-api]\nenabled = true\nfilter = php-api\nlogpath = " + dir + "/php-api.log\n" +
		"maxretry = 3\nfindtime = 30m\nbantime = 1h\naction = record\n"
}

// server is one of the two implementations driving a shared env.
type server struct {
	name   string
	bin    string
	client func(e *env, args ...string) (string, error)
}

var (
	real = server{name: "fail2ban-server", bin: realServer, client: (*env).pyclient}
	ours = server{name: "f2b-server", bin: ourServer, client: (*env).client}
)

// TestMigrate_BothWays runs fail2ban-server and f2b-server one after the
// other on the same configuration and database, in both orders: the
// second server restores the first one's bans with the same end times and
// resumes its log position, so lines written while switching are counted
// exactly once and older ones not again.
func TestMigrate_BothWays(t *testing.T) {
	t.Parallel()
	need(t, realServer, realClient)
	if testing.Short() {
		t.Skip("runs both servers")
	}
	for _, order := range [][2]server{{real, ours}, {ours, real}} {
		t.Run(order[0].name+" then "+order[1].name, func(t *testing.T) {
			migrate(t, order[0], order[1])
		})
	}
}

func migrate(t *testing.T, first, second server) {
	e := newEnv(t, "", 1)
	e.write("jail.local", migrateJail(e.dir))
	e.appendLines("php-api.log")
	e.start(first.bin)
	now := time.Now()
	lines := func(ip string, n int) {
		for i := range n {
			e.appendLines("php-api.log", failLine(now, ip, i))
		}
	}
	lines("198.51.100.1", 3) // banned by the first server
	lines("198.51.100.2", 2) // counted, not banned: must not be read again
	if out, err := first.client(e, "set", "php-api", "banip", "198.51.100.50", "198.51.100.51"); err != nil {
		t.Fatalf("banip: %v\n%s", err, out)
	}
	eventually(t, "first server: ban and 5 failures", func() bool {
		out, _ := first.client(e, "status", "php-api")
		return statusField(out, "Total failed") == "5" && countLines(e.readFile("bans"), "ban 198.51.100.1") == 1
	})
	want := endTimes(t, first, e)
	stopWith(t, e, first)
	lines("198.51.100.3", 3) // written while switching: banned by the second
	e.start(second.bin)
	eventually(t, "second server: 3 new failures and the new ban", func() bool {
		out, _ := second.client(e, "status", "php-api")
		return statusField(out, "Total failed") == "3" && strings.Contains(out, "198.51.100.3")
	})
	got := endTimes(t, second, e)
	for ip, end := range want {
		g, ok := got[ip]
		if !ok {
			t.Errorf("%s: ban of %s not restored by %s", first.name, ip, second.name)
			continue
		}
		// The first server's ticket may carry a fraction of a second
		// that the database rounds to whole seconds.
		if d := g.Sub(end); d < -time.Second || d > time.Second {
			t.Errorf("%s ends at %v after the switch, %v before", ip, g, end)
		}
	}
	if _, ok := got["198.51.100.2"]; ok {
		t.Error("198.51.100.2's old lines were read again")
	}
	stopWith(t, e, second)
}

// endTimes parses "get <jail> banip --with-time" into end times.
func endTimes(t *testing.T, s server, e *env) map[string]time.Time {
	t.Helper()
	out, err := s.client(e, "get", "php-api", "banip", "--with-time")
	if err != nil {
		t.Fatalf("%s: get banip --with-time: %v\n%s", s.name, err, out)
	}
	ends := map[string]time.Time{}
	for l := range strings.SplitSeq(out, "\n") {
		ip, rest, ok := strings.Cut(strings.TrimSpace(l), " \t")
		_, end, ok2 := strings.Cut(rest, " = ")
		if !ok || !ok2 {
			continue
		}
		at, err := time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSpace(end), time.Local)
		if err != nil {
			t.Fatalf("%s: bad --with-time line %q: %v", s.name, l, err)
		}
		ends[ip] = at
	}
	if len(ends) == 0 {
		t.Fatalf("%s: no bans in --with-time output:\n%s", s.name, out)
	}
	return ends
}

// stopWith stops the server with its own client ("stop"), which both
// implementations answer before exiting cleanly.
func stopWith(t *testing.T, e *env, s server) {
	t.Helper()
	if out, err := s.client(e, "stop"); err != nil {
		t.Fatalf("%s: stop: %v\n%s", s.name, err, out)
	}
	srv := e.srv
	e.srv = nil
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("%s exited with %v:\n%s", s.name, err, e.out)
		}
	case <-time.After(60 * time.Second):
		srv.Process.Kill()
		<-done
		t.Fatalf("%s did not exit after stop", s.name)
	}
}
