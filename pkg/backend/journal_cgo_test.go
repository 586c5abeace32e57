//go:build cgo

package backend

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const journalRemote = "/lib/systemd/systemd-journal-remote"

// entry is one journal entry for writeJournal; rt is its realtime stamp.
type entry struct {
	rt     time.Time
	fields [][2]string
}

// writeJournal appends entries to a journal file with the real
// systemd-journal-remote reading export format from stdin.
func writeJournal(t *testing.T, file string, entries []entry) { writeJournalB(t, file, entries) }

// writeJournalB is writeJournal for tests and benchmarks.
func writeJournalB(t testing.TB, file string, entries []entry) {
	t.Helper()
	if _, err := os.Stat(journalRemote); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s needed in CI: %v", journalRemote, err)
		}
		t.Skipf("%s not installed (apt-get install systemd-journal-remote)", journalRemote)
	}
	var buf bytes.Buffer
	for _, e := range entries {
		// One boot, so the monotonic clock must grow with the realtime
		// one: libsystemd orders entries of one boot by it.
		fmt.Fprintf(&buf, "__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=0123456789abcdef0123456789abcdef\n",
			e.rt.UnixMicro(), e.rt.UnixMicro()-1_600_000_000_000_000)
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

// exportField writes one field in journal export format: text fields as
// NAME=value, others with a little-endian 64-bit length.
func exportField(buf *bytes.Buffer, name, value string) {
	if !strings.ContainsAny(value, "\n") && utf8.ValidString(value) {
		fmt.Fprintf(buf, "%s=%s\n", name, value)
		return
	}
	buf.WriteString(name + "\n")
	binary.Write(buf, binary.LittleEndian, uint64(len(value)))
	buf.WriteString(value + "\n")
}

func sshdEntry(rt time.Time, i int) entry {
	return entry{rt: rt, fields: [][2]string{
		{"_HOSTNAME", "myhost"}, {"SYSLOG_IDENTIFIER", "sshd"}, {"_PID", "1234"}, {"_COMM", "sshd"},
		{"_SYSTEMD_UNIT", "ssh.service"},
		{"MESSAGE", fmt.Sprintf("Failed password for root from 192.0.2.%d port 22 ssh2", i%250)},
	}}
}

func postfixEntry(rt time.Time) entry {
	return entry{rt: rt, fields: [][2]string{
		{"_HOSTNAME", "mx"}, {"SYSLOG_IDENTIFIER", "postfix/smtpd"}, {"SYSLOG_PID", "901"}, {"_PID", "901"},
		{"_SYSTEMD_UNIT", "postfix@-.service"},
		{"MESSAGE", "warning: unknown[198.51.100.4]: SASL LOGIN authentication failed: UGFzc3dvcmQ6"},
	}}
}

func startJournal(t *testing.T, j *Journal) <-chan Line {
	t.Helper()
	out := make(chan Line, 1024)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- j.Run(ctx, out) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v, want nil", err)
		}
	})
	return out
}

func newTestJournal(t *testing.T, opts JournalOptions) *Journal {
	t.Helper()
	opts.Wait = 20 * time.Millisecond
	j, err := NewJournal(opts)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestJournal_Entries(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	file := filepath.Join(t.TempDir(), "system.journal")
	writeJournal(t, file, []entry{
		sshdEntry(base.Add(-time.Hour), 0), // before Start: skipped
		sshdEntry(base.Add(time.Second), 1),
		postfixEntry(base.Add(2 * time.Second)),
		{rt: base.Add(3 * time.Second), fields: [][2]string{{"_COMM", "c"}, {"MESSAGE", "two\nlines caf\xe9"}}},
		{rt: base.Add(4 * time.Second), fields: [][2]string{{"SYSLOG_IDENTIFIER", "sshd"}, {"_SOURCE_REALTIME_TIMESTAMP",
			strconv.FormatInt(base.Add(3500*time.Millisecond).UnixMicro(), 10)}, {"MESSAGE", "own time"}}},
	})
	j := newTestJournal(t, JournalOptions{Files: []string{file}, Start: base.Add(-2 * time.Hour), Encoding: "latin-1"})
	j.SetStart(base) // what the jail does at start
	out := startJournal(t, j)
	got := collect(t, out, 4)
	// Entries written while the backend watches are live (in operation).
	writeJournal(t, file, []entry{sshdEntry(time.Now(), 9)})
	got = append(got, collect(t, out, 1)...)
	for i, l := range got {
		if want := i == 4; l.Live != want {
			t.Errorf("line %d Live = %v, want %v", i, l.Live, want)
		}
	}
	want := []Line{
		{Text: "myhost sshd[1234]: Failed password for root from 192.0.2.1 port 22 ssh2", Time: base.Add(time.Second)},
		{Text: "mx postfix/smtpd[901]: warning: unknown[198.51.100.4]: SASL LOGIN authentication failed: UGFzc3dvcmQ6", Time: base.Add(2 * time.Second)},
		{Text: `c: two\nlines café`, Time: base.Add(3 * time.Second)},
		{Text: "sshd: own time", Time: base.Add(3500 * time.Millisecond)},
	}
	for i := range want {
		if got[i].Text != want[i].Text || !got[i].Time.Equal(want[i].Time) {
			t.Errorf("line %d = %q at %v, want %q at %v", i, got[i].Text, got[i].Time, want[i].Text, want[i].Time)
		}
	}
}

func TestJournal_Match(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	file := filepath.Join(t.TempDir(), "system.journal")
	var es []entry
	for i := range 10 {
		if i%2 == 0 {
			es = append(es, sshdEntry(base.Add(time.Duration(i)*time.Second), i))
		} else {
			es = append(es, postfixEntry(base.Add(time.Duration(i)*time.Second)))
		}
	}
	es = append(es, entry{rt: base.Add(time.Minute), fields: [][2]string{{"_COMM", "other"}, {"MESSAGE", "last"}}})
	writeJournal(t, file, es)
	tests := []struct {
		name  string
		terms []string
		want  int // lines before the sentinel
	}{
		{name: "one unit", terms: []string{"_SYSTEMD_UNIT=ssh.service"}, want: 5},
		{name: "or", terms: []string{"_SYSTEMD_UNIT=ssh.service", "+", "SYSLOG_IDENTIFIER=postfix/smtpd"}, want: 10},
		{name: "and", terms: []string{"_SYSTEMD_UNIT=ssh.service", "MESSAGE=Failed password for root from 192.0.2.4 port 22 ssh2"}, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := newTestJournal(t, JournalOptions{Files: []string{file}, Start: base})
			if err := j.AddMatch(tt.terms); err != nil {
				t.Fatal(err)
			}
			if err := j.AddMatch([]string{"_COMM=other"}); err != nil { // sentinel
				t.Fatal(err)
			}
			out := startJournal(t, j)
			var got []Line
			for len(got) == 0 || got[len(got)-1].Text != "other: last" {
				got = append(got, collect(t, out, 1)...)
			}
			if len(got)-1 != tt.want {
				t.Fatalf("got %d lines before the sentinel, want %d: %q", len(got)-1, tt.want, texts(got))
			}
		})
	}
}

// Rotation (rename to an archive name, new active file) and vacuum (archive
// deleted) while entries keep coming: nothing lost or repeated, and the
// number of open descriptors does not grow.
func TestJournal_RotateVacuum(t *testing.T) {
	const rounds, perRound = 6, 40
	dir := t.TempDir()
	active := filepath.Join(dir, "system.journal")
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	seqEntry := func(i int) entry {
		return entry{rt: base.Add(time.Duration(i) * time.Millisecond), fields: [][2]string{{"_COMM", "seq"}, {"MESSAGE", seqLine(i)}}}
	}
	batch := func(from int) []entry {
		var es []entry
		for i := from; i < from+perRound; i++ {
			es = append(es, seqEntry(i))
		}
		return es
	}
	writeJournal(t, active, batch(0))
	j := newTestJournal(t, JournalOptions{Path: dir, Start: base})
	out := startJournal(t, j)
	var got []Line
	var fds []int
	for r := range rounds {
		got = append(got, collect(t, out, perRound)...)
		fds = append(fds, countFDs(t))
		archived := filepath.Join(dir, fmt.Sprintf("system@%032x-%016x-%016x.journal", r+1, r*perRound+1, base.UnixMicro()))
		if err := os.Rename(active, archived); err != nil {
			t.Fatal(err)
		}
		writeJournal(t, active, batch((r+1)*perRound))
		if r > 0 { // vacuum the previous archive
			old, _ := filepath.Glob(filepath.Join(dir, "system@*.journal"))
			slices.Sort(old)
			if err := os.Remove(old[0]); err != nil {
				t.Fatal(err)
			}
		}
	}
	got = append(got, collect(t, out, perRound)...)
	for i, l := range got {
		if want := "seq: " + seqLine(i); l.Text != want {
			t.Fatalf("line %d = %q, want %q", i, l.Text, want)
		}
	}
	if fds[len(fds)-1] > fds[1]+2 {
		t.Errorf("open descriptors grew over rotations: %v", fds)
	}
}

// A second Run continues after the last entry the first one emitted.
func TestJournal_Restart(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	file := filepath.Join(t.TempDir(), "system.journal")
	writeJournal(t, file, []entry{sshdEntry(base.Add(time.Second), 1), sshdEntry(base.Add(2*time.Second), 2)})
	j := newTestJournal(t, JournalOptions{Files: []string{file}, Start: base})
	out := make(chan Line) // unbuffered: what was received is all that was emitted
	for round, want := range []string{"192.0.2.1 ", "192.0.2.2 "} {
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- j.Run(ctx, out) }()
		got := collect(t, out, 1)[0]
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.Text, want) {
			t.Fatalf("round %d: got %q, want %q", round, got.Text, want)
		}
		if last := j.Last(); !last.Equal(got.Time) {
			t.Fatalf("round %d: Last() = %v, want %v", round, last, got.Time)
		}
	}
}

func TestJournal_Errors(t *testing.T) {
	tests := []struct {
		name string
		in   JournalOptions
		want string
	}{
		{name: "namespace", in: JournalOptions{Namespace: "ns"}, want: `backend systemd: namespace "ns": journal namespaces are not supported`},
		{name: "no files", in: JournalOptions{Files: []string{"/nonexistent/*.journal"}}, want: `backend systemd: journalfiles ["/nonexistent/*.journal"]: no file found`},
		{name: "encoding", in: JournalOptions{Encoding: "nope"}, want: "backend systemd: unknown encoding: nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewJournal(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("NewJournal error = %v, want %q", err, tt.want)
			}
		})
	}
}
