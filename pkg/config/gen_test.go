package config

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// treeGen builds a random but mostly valid configuration tree from a seed:
// includes, .d directories, [DEFAULT]/known/ interpolation, filter and
// action arguments, conditional [Init?family=inet6] sections, log globs.
type treeGen struct {
	r     *rand.Rand
	files map[string]string
}

func (g *treeGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *treeGen) chance(p float64) bool    { return g.r.Float64() < p }

func (g *treeGen) add(name string, lines ...string) {
	g.files[name] += strings.Join(lines, "\n") + "\n"
}

func genTree(seed uint64) map[string]string {
	g := &treeGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), files: map[string]string{}}
	nf, na, nj := 1+g.r.IntN(3), 1+g.r.IntN(3), 1+g.r.IntN(5)
	g.general()
	for i := 0; i < nf; i++ {
		g.filter(i)
	}
	for i := 0; i < na; i++ {
		g.action(i)
	}
	g.jails(nj, nf, na)
	return g.files
}

func (g *treeGen) general() {
	if g.chance(0.3) {
		return // no fail2ban.conf at all
	}
	g.add("fail2ban.conf", "[Definition]", "loglevel = "+g.pick("INFO", "DEBUG", "NOTICE"),
		"dbpurgeage = "+g.pick("1d", "2h", "%(x)s"), "x = 3d")
	if g.chance(0.5) {
		g.add("fail2ban.conf", "dbmaxmatches = "+g.pick("5", "x5", " 7 "))
	}
	if g.chance(0.3) {
		g.add("fail2ban.local", "[Definition]", "logtarget = "+g.pick("STDOUT", "SYSLOG"))
	}
}

func (g *treeGen) filter(i int) {
	name := fmt.Sprintf("filter.d/f%d.conf", i)
	if g.chance(0.5) {
		g.add(name, "[INCLUDES]", "before = fcommon.conf")
		g.files["filter.d/fcommon.conf"] = "[DEFAULT]\n_daemon = \\S+\n__pref = (?:%(_daemon)s:\\s+)?\n[Definition]\nshared = yes\n"
	}
	g.add(name, "[DEFAULT]", "datepattern = ^%%H:%%M", "[Init]", "mode = "+g.pick("normal", "aggressive"), "extra = <mode>-x")
	g.add(name, "[Definition]",
		"_opt = "+g.pick("port \\d+", "on \\S+"),
		"mdre-normal = ^normal <HOST>$",
		"mdre-aggressive = ^aggr <HOST> %(_opt)s$",
		"          ^second <HOST>",
		"failregex = "+g.pick("%(__pref)s^fail from <HOST>", "^fail <HOST> <extra>", "^x <HOST>"),
		"            <mdre-<mode>>",
		"            # a comment inside the value",
		"ignoreregex = "+g.pick("", "^ignore", "^%(_opt)s"),
		"datepattern = "+g.pick("{^LN-BEG}", "^%%Y-%%m-%%d", "", "%(known/datepattern)s"))
	if g.chance(0.4) {
		g.add(name, "maxlines = "+g.pick("1", "2", "x"))
	}
	if g.chance(0.4) {
		g.add(name, `journalmatch = _SYSTEMD_UNIT=f.service + _COMM=f`, `  "Q=a b"`)
	}
	if g.chance(0.3) {
		g.add(fmt.Sprintf("filter.d/f%d.local", i), "[Definition]", "ignoreregex = ^local <HOST>")
	}
}

func (g *treeGen) action(i int) {
	name := fmt.Sprintf("action.d/a%d.conf", i)
	g.add(name, "[DEFAULT]", "proto = udp", "[Definition]",
		"actionstart = echo start <name> <port>",
		"actionban = echo ban <ip> <name> %(proto)s <lockingopt>",
		"            echo <known/port>",
		"actionunban = echo unban <ip> <bantime> <timeout>",
		"proto = "+g.pick("tcp", "%(known/proto)s"),
		"[Init]", "name = default", "port = "+g.pick("ssh", "22"), "lockingopt = -w",
		"timeout = 60")
	if g.chance(0.5) {
		g.add(name, "[Init?family=inet6]", "lockingopt = -6")
	}
	if g.chance(0.3) {
		g.add(fmt.Sprintf("action.d/a%d.local", i), "[Init]", "port = 2222")
	}
}

func (g *treeGen) jails(nj, nf, na int) {
	g.add("jail.conf", "[INCLUDES]", "before = paths.conf", "", "[DEFAULT]",
		"enabled = "+g.pick("false", "true"),
		"maxretry = "+g.pick("3", "5"),
		"findtime = "+g.pick("10m", "1h", "600"),
		"banaction = a0",
		"port = 0:65535",
		"action_ = %(banaction)s[port=\"%(port)s\", proto=%(protocol)s]",
		"protocol = tcp",
		"action = %(action_)s",
		"filter = %(__name__)s")
	g.add("paths.conf", "[DEFAULT]", "logdir = %(fail2ban_confpath)s/logs", "syslog = %(logdir)s/sys*.log")
	g.files["logs/sys1.log"], g.files["logs/sys2.log"], g.files["logs/app.log"] = "", "", ""
	for j := 0; j < nj; j++ {
		g.jail(j, nf, na)
	}
}

func (g *treeGen) jail(j, nf, na int) {
	file := g.pick("jail.conf", "jail.local", "jail.d/10-x.conf", "jail.d/20-y.local")
	if strings.Contains(g.files[file], fmt.Sprintf("[j%d]", j)) {
		file = "jail.conf"
	}
	lines := []string{"", fmt.Sprintf("[j%d]", j), "enabled = " + g.pick("true", "true", "yes", "false", "0")}
	f := fmt.Sprintf("f%d", g.r.IntN(nf))
	lines = append(lines, "filter = "+g.pick(f, f+"[mode=aggressive]", f+`[mode=normal, extra="a,b"]`, f+"[mode=%(mode)s]"))
	lines = append(lines, "mode = "+g.pick("normal", "aggressive"))
	lines = append(lines, "logpath = "+g.pick("%(syslog)s", "%(logdir)s/app.log tail", "%(logdir)s/none.log", "%(syslog)s\n  %(logdir)s/app.log"))
	if g.chance(0.3) {
		lines = append(lines, "backend = "+g.pick("polling", "systemd", "auto"))
	}
	if g.chance(0.5) {
		a := fmt.Sprintf("a%d", g.r.IntN(na))
		lines = append(lines, "action = "+g.pick("%(action_)s", a, a+"[name=other, port=\"1,2\"]", "%(action_)s\n   "+a+"[actname=second]"))
	}
	if g.chance(0.3) {
		lines = append(lines, "failregex = %(known/failregex)s", "            ^jail <HOST>")
	}
	if g.chance(0.3) {
		lines = append(lines, "ignoreip = 127.0.0.1/8, ::1 10.0.0.1")
	}
	if g.chance(0.3) {
		lines = append(lines, "maxretry = "+g.pick("2", "abc", "%(known/maxretry)s"))
	}
	if g.chance(0.2) {
		lines = append(lines, "bantime.increment = "+g.pick("true", "off"), "bantime.maxtime = 1w")
	}
	g.add(file, lines...)
}

func writeGenTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "conf")
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestStream_GeneratedTrees compares random trees with fail2ban-client -d.
func TestStream_GeneratedTrees(t *testing.T) {
	needOracle(t)
	// 100 trees keep the package near a minute on a shared 2-core machine;
	// F2B_GEN_SEEDS=500 runs a deeper comparison.
	seeds := 100
	if n, err := strconv.Atoi(os.Getenv("F2B_GEN_SEEDS")); err == nil && n > 0 {
		seeds = n
	} else if testing.Short() {
		seeds = 20
	}
	type result struct {
		seed      uint64
		dir       string
		want, got []byte
	}
	results := make([]result, seeds)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range results {
		dir := writeGenTree(t, genTree(uint64(i)))
		results[i] = result{seed: uint64(i), dir: dir}
		wg.Add(1)
		go func(r *result) {
			defer wg.Done()
			sem <- struct{}{}
			r.want = oracleDump(t, r.dir, "-d")
			<-sem
		}(&results[i])
	}
	wg.Wait()
	failed, fatal, jails := 0, 0, 0
	for _, r := range results {
		if bytes.HasPrefix(r.want, []byte("ERROR")) {
			fatal++
		}
		jails += bytes.Count(r.want, []byte("['start', "))
		got := ourDump(t, r.dir)
		if !bytes.Equal(got, r.want) {
			failed++
			if failed <= 3 {
				t.Errorf("seed %d (%s): differs\n got:\n%s\nwant:\n%s", r.seed, r.dir, got, r.want)
			}
		}
	}
	t.Logf("%d trees: %d failed as a whole, %d jails started in total", seeds, fatal, jails)
	if fatal > seeds/2 || jails < seeds {
		t.Errorf("generator too weak: %d fatal trees, %d jails", fatal, jails)
	}
	if failed > 0 {
		t.Errorf("%d of %d generated trees differ", failed, seeds)
	}
}
