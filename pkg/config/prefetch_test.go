package config

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// fullOutcome is everything a load shows its callers: verdicts, every
// error in order and the dump.
func fullOutcome(t *testing.T, dir string) string {
	t.Helper()
	c, _ := Load(Options{Dir: dir})
	var b bytes.Buffer
	fmt.Fprintf(&b, "fatal: %v\nok: %v %v %v\nmissing logs: %q\nerrors:\n%s\n",
		c.Fatal(), c.OK(), c.DumpOK(), c.TestOK(), c.MissingLogs(), c.Errors().Details())
	if c.Stream() != nil {
		if err := Dump(&b, c.Stream(), false); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// manyJails writes jails jail0..jail(n-1), each with its own filter file
// (filter.d/fI.conf including common.conf), so that the prefetch worker
// and the preparing goroutine both run.
func manyJails(n int, extra map[string]string) map[string]string {
	files := map[string]string{
		"filter.d/common.conf": "[Definition]\n_daemon = \\S+\n",
		"action.d/a.conf":      "[Definition]\nactionban = ban <ip> <name> <port>\n[Init]\nport = 1\n",
	}
	var jail strings.Builder
	jail.WriteString("[DEFAULT]\naction = a[port=%(port)s]\nport = 22\nlogpath = /dev/null\n")
	for i := range n {
		fmt.Fprintf(&jail, "[jail%d]\nenabled = true\nfilter = f%d[mode=m%d]\n", i, i, i)
		files[fmt.Sprintf("filter.d/f%d.conf", i)] = fmt.Sprintf(
			"[INCLUDES]\nbefore = common.conf\n[Definition]\nfailregex = ^<_daemon> %d <HOST> <mode>$\n[Init]\nmode = x\n", i)
	}
	files["jail.conf"] = jail.String()
	for k, v := range extra {
		files[k] = v
	}
	return files
}

// TestLoad_SameWithOneCore: the prefetch worker and the preparing
// goroutine change nothing a caller sees (stream, errors and their
// order, verdicts) compared with a load on one goroutine.
func TestLoad_SameWithOneCore(t *testing.T) {
	trees := map[string]map[string]string{
		"many jails": manyJails(20, nil),
		// a later jail's filter does not parse: fatal, and the lint must
		// still report the files the failed load never adopted
		"syntax error in a later filter": manyJails(20, map[string]string{
			"filter.d/f12.conf": "[Definition]\nfailregex = x\nbroken line\n",
			"filter.d/zz.conf":  "also broken\n",
		}),
		// errors found while reading a prefetched filter come in jail order
		"include cycles": manyJails(12, map[string]string{
			"filter.d/f3.conf": "[INCLUDES]\nbefore = f3.conf\n[Definition]\nfailregex = a\n",
			"filter.d/f9.conf": "[INCLUDES]\nafter = f9.conf\n[Definition]\nfailregex = b\n",
		}),
		"missing and guessed wrong": manyJails(10, map[string]string{
			"jail.local": "[DEFAULT]\nknown/mode = f1\n[jail2]\nfilter = nothere\n[jail5]\nfilter = %(__name__)s\n" +
				"[jail6]\nenabled = false\n" +
				// guessed f1 (jail4 has no known/mode yet), reads m4
				"[jail7]\nfilter = %(jail4/known/mode)s\n",
			"filter.d/jail5.conf": "[Definition]\nfailregex = j5 <HOST>\n",
			"filter.d/m4.conf":    "[Definition]\nfailregex = m4 <HOST>\n",
		}),
	}
	for name, files := range trees {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, files)
			want := func() string {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
				return fullOutcome(t, dir)
			}()
			prev := runtime.GOMAXPROCS(2)
			defer runtime.GOMAXPROCS(prev)
			for range 5 { // the goroutines interleave differently each time
				if got := fullOutcome(t, dir); got != want {
					t.Fatalf("with two cores:\n%s\nwith one:\n%s", got, want)
				}
			}
		})
	}
}

// A jail whose first-pass options read another jail's section (here a
// known/ copy that reading jail4 adds) gets them as they are when it is
// read, not as firstPasses saw them before any jail was read.
func TestLoad_FirstPassReadsAnotherJail(t *testing.T) {
	dir := writeTree(t, manyJails(10, map[string]string{
		"jail.local":       "[DEFAULT]\nknown/mode = f1\n[jail7]\nfilter = %(jail4/known/mode)s\n",
		"filter.d/m4.conf": "[Definition]\nfailregex = m4 <HOST>\n",
	}))
	for _, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		out := fullOutcome(t, dir)
		runtime.GOMAXPROCS(prev)
		if !strings.Contains(out, "['set', 'jail7', 'addfailregex', 'm4 <HOST>']") {
			t.Errorf("GOMAXPROCS %d: jail7 did not read filter m4:\n%s", procs, out)
		}
	}
}
