//go:build cgo

package backend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

// bootEntry is an entry of a given boot, for journals of several boots.
type bootEntry struct {
	boot   string // 32 hex digits
	rt     time.Time
	mono   time.Duration
	fields [][2]string
}

// writeBootJournal writes entries with systemd-journal-remote, each with
// its own boot ID and monotonic stamp.
func writeBootJournal(t *testing.T, file string, entries []bootEntry) {
	t.Helper()
	if _, err := os.Stat(journalRemote); err != nil {
		t.Skipf("%s not installed", journalRemote)
	}
	var buf bytes.Buffer
	for _, e := range entries {
		fmt.Fprintf(&buf, "__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n", e.rt.UnixMicro(), e.mono.Microseconds(), e.boot)
		for _, f := range e.fields {
			exportField(&buf, f[0], f[1])
		}
		buf.WriteByte('\n')
	}
	cmd := exec.Command(journalRemote, "--output="+file, "-")
	cmd.Stdin = &buf
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("journal-remote: %v: %s", err, out)
	}
}

// readThroughLibsystemd is the reference: libsystemd's iteration and
// matches with EntryReader, as the regex tester read before.
func readThroughLibsystemd(t *testing.T, paths, match []string, dec Decoder) []readEntry {
	t.Helper()
	fb := &journalFallback{paths: paths, match: match, dec: dec}
	defer fb.close()
	var out []readEntry
	if err := fb.rest(t.Context(), "", func(s string, tm time.Time) { out = append(out, readEntry{s, tm}) }); err != nil {
		t.Fatal(err)
	}
	return out
}

func readNatively(t *testing.T, paths, match []string, dec Decoder) []readEntry {
	t.Helper()
	var out []readEntry
	if err := ReadJournalFiles(t.Context(), paths, match, dec, func(s string, tm time.Time) { out = append(out, readEntry{s, tm}) }); err != nil {
		t.Fatal(err)
	}
	return out
}

func sameEntries(t *testing.T, got, want []readEntry) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("read %d entries, libsystemd %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i].text != want[i].text || !got[i].tm.Equal(want[i].tm) {
			t.Errorf("entry %d: got %q %v, libsystemd %q %v", i, got[i].text, got[i].tm, want[i].text, want[i].tm)
		}
	}
}

// The native reader gives the entries, order, text and times libsystemd
// gives: one file with odd fields (a compressed message among them), with
// and without matches.
func TestJournalFileReader_OneFile(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }
	entries := []entry{
		sshdEntry(at(0), 1),
		{rt: at(1), fields: [][2]string{{"_PID", "1"}, {"SYSLOG_PID", "2"}, {"_COMM", "c"}, {"SYSLOG_IDENTIFIER", "i"}, {"MESSAGE", "m"}}},
		{rt: at(2), fields: [][2]string{{"SYSLOG_IDENTIFIER", "kernel"}, {"MESSAGE", "k"}}},
		{rt: at(3), fields: [][2]string{{"SYSLOG_IDENTIFIER", "kernel"}, {"_SOURCE_MONOTONIC_TIMESTAMP", "5"}, {"MESSAGE", "k"}}},
		{rt: at(4), fields: [][2]string{{"_SOURCE_REALTIME_TIMESTAMP", "1700000000000001"}, {"MESSAGE", "src"}}},
		{rt: at(5), fields: [][2]string{{"_HOSTNAME", "h\xff"}, {"_COMM", "c"}, {"MESSAGE", strings.Repeat("x\n\xfe", 5000)}}},
		{rt: at(6), fields: [][2]string{{"_COMM", "nomsg"}}},
		{rt: at(7), fields: [][2]string{{"MESSAGE_ID", "not MESSAGE"}, {"_HOSTNAMEX", "not _HOSTNAME"}, {"MESSAGE", "prefix fields"}}},
		{rt: at(8), fields: [][2]string{{"_COMM", "c"}, {"SYSLOG_PID", "0x1f"}, {"MESSAGE", "a"}, {"MESSAGE", "b"}}},
		{rt: at(9), fields: [][2]string{{"_COMM", "c"}, {"SYSLOG_PID", "007"}, {"_SYSTEMD_UNIT", "x.service"}, {"MESSAGE", strings.Repeat("y", 4000)}}},
		postfixEntry(at(10)),
		sshdEntry(at(11), 2),
	}
	file := filepath.Join(t.TempDir(), "system.journal")
	writeJournal(t, file, entries)
	dec, err := NewDecoder("latin-1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := OpenJournalFileReader([]string{file}, nil, dec)
	if err != nil {
		t.Fatal(err)
	}
	fallbacks := 0
	for {
		_, _, _, err := r.Next()
		var fe *JournalFallbackError
		if errors.As(err, &fe) && !fe.Rest {
			fallbacks++
		} else if err != nil {
			break
		}
	}
	r.Close()
	if fallbacks != 2 { // the two long messages are stored compressed
		t.Errorf("%d entries handed to journalctl, want 2", fallbacks)
	}
	for _, match := range [][]string{
		nil,
		{"_COMM=c"},
		{"_COMM=c", "+", "_SYSTEMD_UNIT=ssh.service"},
		{"_COMM=c", "_COMM=sshd"},                      // one field: OR
		{"_COMM=c", "SYSLOG_PID=0x1f"},                 // two fields: AND
		{"+", "_SYSTEMD_UNIT=x.service", "+", "+"},     // empty groups
		{"MESSAGE=" + strings.Repeat("y", 4000)},       // compressed, matching
		{"MESSAGE=k", "+", "SYSLOG_IDENTIFIER=kernel"}, // several hits in one entry
		{"_COMM=none"},
	} {
		t.Run(fmt.Sprintf("%.40s", strings.Join(match, " ")), func(t *testing.T) {
			want := readThroughLibsystemd(t, []string{file}, match, dec)
			sameEntries(t, readNatively(t, []string{file}, match, dec), want)
		})
	}
}

// Several files: interleaved by sequence number, monotonic time or
// realtime as libsystemd orders them, with an entry present in two files
// read once.
func TestJournalFileReader_Merge(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	const bootA, bootB = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	msg := func(s string) [][2]string {
		return [][2]string{{"_HOSTNAME", "h"}, {"_COMM", "sshd"}, {"_PID", "7"}, {"MESSAGE", s}}
	}
	dir := t.TempDir()
	var a, b []bootEntry
	for i := range 40 {
		e := bootEntry{boot: bootA, rt: base.Add(time.Duration(i) * time.Second), mono: time.Duration(i+1) * time.Second, fields: msg(fmt.Sprintf("a%d", i))}
		switch {
		case i%3 == 0:
			e.boot = bootB // another boot: ordered by realtime
			e.fields = msg(fmt.Sprintf("b%d", i))
			b = append(b, e)
		case i%7 == 0:
			a = append(a, e)
			b = append(b, e) // the same entry in both files
		default:
			a = append(a, e)
		}
	}
	// A clock step back in boot A: same boot, so monotonic order wins.
	a = append(a, bootEntry{boot: bootA, rt: base.Add(-time.Minute), mono: time.Minute, fields: msg("stepped")})
	fa, fbPath := filepath.Join(dir, "a.journal"), filepath.Join(dir, "b.journal")
	writeBootJournal(t, fa, a)
	writeBootJournal(t, fbPath, b)
	dec, _ := NewDecoder("utf-8")
	for _, paths := range [][]string{{fa, fbPath}, {fbPath, fa}} {
		for _, match := range [][]string{nil, {"MESSAGE=b3", "+", "MESSAGE=a7", "+", "MESSAGE=stepped"}} {
			t.Run(fmt.Sprint(filepath.Base(paths[0]), match), func(t *testing.T) {
				want := readThroughLibsystemd(t, paths, match, dec)
				if match == nil && len(want) < 40 {
					t.Fatalf("libsystemd read %d entries, want at least 40", len(want))
				}
				sameEntries(t, readNatively(t, paths, match, dec), want)
			})
		}
	}
}

// A file the reader does not understand is left to journalctl before
// anything is read; a bad match term too.
func TestJournalFileReader_Refuses(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.journal")
	if err := os.WriteFile(bad, bytes.Repeat([]byte{0}, 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	dec, _ := NewDecoder("utf-8")
	err := ReadJournalFiles(t.Context(), []string{bad}, nil, dec, func(string, time.Time) { t.Error("emitted") })
	if !errors.Is(err, ErrJournalNotNative) {
		t.Errorf("bad file: err = %v, want ErrJournalNotNative", err)
	}
	good := filepath.Join(dir, "good.journal")
	writeJournal(t, good, []entry{sshdEntry(time.Now(), 1)})
	for _, m := range []string{"__CURSOR=x", "lower=x", "NOEQUALS", "="} {
		err := ReadJournalFiles(t.Context(), []string{good}, []string{m}, dec, func(string, time.Time) { t.Error("emitted") })
		if !errors.Is(err, ErrJournalNotNative) {
			t.Errorf("match %q: err = %v, want ErrJournalNotNative", m, err)
		}
	}
}

// A structure error half-way hands the rest to journalctl, after the last
// entry read natively.
func TestJournalFileReader_RestFallback(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	var es []entry
	for i := range 50 {
		es = append(es, sshdEntry(base.Add(time.Duration(i)*time.Second), i))
	}
	file := filepath.Join(t.TempDir(), "system.journal")
	writeJournal(t, file, es)
	dec, _ := NewDecoder("utf-8")
	want := readThroughLibsystemd(t, []string{file}, nil, dec)

	r, err := OpenJournalFileReader([]string{file}, nil, dec)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []readEntry
	for range 20 {
		text, tm, _, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, readEntry{text, tm})
	}
	r.heads[0].f.arrays = 8 // as if the entry array chain were broken
	r.heads[0].it = entryIter{f: r.heads[0].f, done: 20}
	_, _, _, err = r.Next()
	var fe *JournalFallbackError
	if !errors.As(err, &fe) || !fe.Rest || fe.Cursor == "" {
		t.Fatalf("Next after corruption: %v, want a rest fallback with a cursor", err)
	}
	fb := &journalFallback{paths: []string{file}, dec: dec}
	defer fb.close()
	if err := fb.rest(t.Context(), fe.Cursor, func(s string, tm time.Time) { got = append(got, readEntry{s, tm}) }); err != nil {
		t.Fatal(err)
	}
	sameEntries(t, got, want)
	if _, _, _, err := r.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Next after the fallback = %v, want the structure error again", err)
	}
}

// The cursor text is libsystemd's, so the fallback can seek to it.
func TestJournalFileReader_Cursor(t *testing.T) {
	file := filepath.Join(t.TempDir(), "system.journal")
	writeJournal(t, file, []entry{sshdEntry(time.Now().Add(-time.Minute), 1), sshdEntry(time.Now(), 2)})
	jr, err := sdjournal.NewJournalFromFiles(file)
	if err != nil {
		t.Fatal(err)
	}
	defer jr.Close()
	f, err := openJournalFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	it := entryIter{f: f}
	for {
		n, err := jr.Next()
		if err != nil || n == 0 {
			break
		}
		want, err := jr.GetCursor()
		if err != nil {
			t.Fatal(err)
		}
		off, err := it.next()
		if err != nil || off == 0 {
			t.Fatalf("native iteration ended early: %v", err)
		}
		var e jEntry
		if err := f.entry(off, &e); err != nil {
			t.Fatal(err)
		}
		if got := f.cursor(&e); got != want {
			t.Errorf("cursor %q, libsystemd %q", got, want)
		}
	}
}

// Random journals: several files, boots and clocks that step back, repeated
// and long (compressed) fields, entries copied between files; the native
// reader must agree with libsystemd on every entry, in order.
func TestJournalFileReader_Random(t *testing.T) {
	for _, seed := range []uint64{7, 1, 2} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { testRandomJournal(t, seed) })
	}
}

func testRandomJournal(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 11))
	boots := []string{"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", "00112233445566778899aabbccddeeff"}
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	dir := t.TempDir()
	var paths []string
	var shared []bootEntry // entries written to more than one file
	for f := range 3 {
		var es []bootEntry
		rt, mono := base.Add(time.Duration(rng.IntN(100))*time.Second), time.Duration(rng.IntN(1000))*time.Second
		boot := boots[rng.IntN(len(boots))]
		for i := range 200 {
			if rng.IntN(40) == 0 { // reboot
				boot, mono = boots[rng.IntN(len(boots))], time.Second
			}
			step := time.Duration(rng.IntN(3000)) * time.Millisecond
			if rng.IntN(30) == 0 {
				rt = rt.Add(-time.Duration(rng.IntN(60)) * time.Second) // clock stepped back
			}
			rt, mono = rt.Add(step), mono+step
			if len(shared) > 0 && rng.IntN(15) == 0 {
				es = append(es, shared[rng.IntN(len(shared))])
				continue
			}
			fields := [][2]string{{"_HOSTNAME", "h"}, {"_COMM", []string{"sshd", "cron", "kernel"}[rng.IntN(3)]}, {"_PID", fmt.Sprint(rng.IntN(5))}}
			msg := fmt.Sprintf("f%d e%d", f, i)
			if rng.IntN(25) == 0 {
				msg += strings.Repeat(" long", 300) // above journal-remote's compression threshold
			}
			fields = append(fields, [2]string{"MESSAGE", msg})
			if rng.IntN(10) == 0 {
				fields = append(fields, [2]string{"MESSAGE", "again"}, [2]string{"_COMM", "second"})
			}
			e := bootEntry{boot: boot, rt: rt, mono: mono, fields: fields}
			if rng.IntN(10) == 0 {
				shared = append(shared, e)
			}
			es = append(es, e)
		}
		p := filepath.Join(dir, fmt.Sprintf("f%d.journal", f))
		writeBootJournal(t, p, es)
		paths = append(paths, p)
	}
	dec, _ := NewDecoder("utf-8")
	for _, match := range [][]string{nil, {"_COMM=sshd"}, {"_COMM=cron", "_PID=1", "+", "_COMM=kernel", "_COMM=second"}} {
		t.Run(strings.Join(match, " "), func(t *testing.T) {
			want := readThroughLibsystemd(t, paths, match, dec)
			if match == nil && len(want) < 100 {
				t.Fatalf("libsystemd read %d entries", len(want))
			}
			sameEntries(t, readNatively(t, paths, match, dec), want)
		})
	}
}

// The regular (non-compact, unkeyed) layout that older systemd writes, as
// journal-remote writes it when asked.
func TestJournalFileReader_RegularLayout(t *testing.T) {
	t.Setenv("SYSTEMD_JOURNAL_COMPACT", "0")
	t.Setenv("SYSTEMD_JOURNAL_KEYED_HASH", "0")
	file := filepath.Join(t.TempDir(), "check.journal")
	writeJournal(t, file, []entry{sshdEntry(time.Now(), 1)})
	f, err := openJournalFile(file)
	if err != nil {
		t.Fatal(err)
	}
	compact := f.compact
	f.close()
	if compact {
		t.Skip("journal-remote ignores SYSTEMD_JOURNAL_COMPACT=0")
	}
	testRandomJournal(t, 3)
}

// More distinct repeated values than the reader's item cache has slots:
// objects are evicted and read again, and every entry must still carry
// its own fields and matches, as libsystemd reads them.
func TestJournalFileReader_ItemCacheEviction(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	const n, pids = 3000, 3 * len(itemCache{})
	es := make([]bootEntry, n)
	for i := range es {
		step := time.Duration(i) * time.Millisecond
		es[i] = bootEntry{boot: "0123456789abcdef0123456789abcdef", rt: base.Add(step), mono: time.Second + step,
			fields: [][2]string{{"_HOSTNAME", fmt.Sprint("h", i%7)}, {"_COMM", []string{"sshd", "cron"}[i%2]},
				{"_PID", fmt.Sprint(i % pids)}, {"MESSAGE", fmt.Sprint("entry ", i)}}}
	}
	p := filepath.Join(t.TempDir(), "many.journal")
	writeBootJournal(t, p, es)
	dec, _ := NewDecoder("utf-8")
	for _, match := range [][]string{nil, {"_PID=5", "_PID=700"}, {"_COMM=cron", "+", "_HOSTNAME=h3"}} {
		t.Run(strings.Join(match, " "), func(t *testing.T) {
			want := readThroughLibsystemd(t, []string{p}, match, dec)
			if match == nil && len(want) != n {
				t.Fatalf("libsystemd read %d entries, want %d", len(want), n)
			}
			sameEntries(t, readNatively(t, []string{p}, match, dec), want)
		})
	}
}

// ReadJournalctl, which the regex tester uses for what is not a set of
// files (here a directory of machine directories, as /var/log/journal),
// gives what libsystemd gives: entries, order, texts and times, with
// compressed and binary fields, with and without matches.
func TestReadJournalctl_SameAsLibsystemd(t *testing.T) {
	if _, err := exec.LookPath(JournalctlPath); err != nil {
		t.Skip("journalctl not installed")
	}
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	var entries []entry
	for i := range 30 {
		at := base.Add(time.Duration(i) * time.Second)
		switch i % 3 {
		case 0:
			entries = append(entries, sshdEntry(at, i))
		case 1:
			entries = append(entries, postfixEntry(at))
		default:
			entries = append(entries, entry{rt: at, fields: [][2]string{{"_HOSTNAME", "h\xff"}, {"_COMM", "c"},
				{"SYSLOG_IDENTIFIER", "kernel"}, {"MESSAGE", strings.Repeat("x\n", 3000+i)}}})
		}
	}
	dir := t.TempDir()
	machine := filepath.Join(dir, "0123456789abcdef0123456789abcdef")
	if err := os.Mkdir(machine, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(machine, "system.journal")
	writeJournal(t, file, entries)
	dec, err := NewDecoder("latin-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, match := range [][]string{nil, {"_COMM=sshd"}, {"_COMM=c", "+", "SYSLOG_IDENTIFIER=postfix/smtpd"}, {"_COMM=none"}} {
		t.Run(strings.Join(match, " "), func(t *testing.T) {
			want := readThroughLibsystemd(t, []string{file}, match, dec)
			var got []readEntry
			err := ReadJournalctl(t.Context(), JournalOptions{Path: dir}, match, dec, func(s string, tm time.Time) { got = append(got, readEntry{s, tm}) })
			if err != nil {
				t.Fatal(err)
			}
			sameEntries(t, got, want)
			if match == nil && len(want) != len(entries) {
				t.Errorf("libsystemd read %d entries, want %d", len(want), len(entries))
			}
		})
	}
}
