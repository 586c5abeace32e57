package backend

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// writeExport serializes fields (name, value pairs) as journalctl's export
// format does: a value with a newline or invalid UTF-8 in binary form.
func writeExport(buf *bytes.Buffer, fields [][2]string) {
	for _, f := range fields {
		if !strings.Contains(f[1], "\n") && utf8.ValidString(f[1]) {
			buf.WriteString(f[0] + "=" + f[1] + "\n")
			continue
		}
		buf.WriteString(f[0] + "\n")
		binary.Write(buf, binary.LittleEndian, uint64(len(f[1])))
		buf.WriteString(f[1] + "\n")
	}
	buf.WriteByte('\n')
}

func binField(name, value string) string {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(value)))
	return name + "\n" + string(n[:]) + value + "\n"
}

func readAllExport(in string) ([]exportEntry, error) {
	x := newExportReader(strings.NewReader(in))
	var out []exportEntry
	for {
		var e exportEntry
		err := x.next(&e)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
}

func TestExportReader(t *testing.T) {
	vals := func(kv ...string) entryValues {
		var v entryValues
		for i := 0; i < len(kv); i += 2 {
			v[slices.Index(entryFields[:], kv[i])] = kv[i+1]
		}
		return v
	}
	tests := []struct {
		name string
		in   string
		want []exportEntry
		err  string // part of the error, "" for none
	}{
		{name: "empty", in: ""},
		{name: "one entry",
			in: "__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=1764000000000000\n__MONOTONIC_TIMESTAMP=5\n_BOOT_ID=b\n" +
				"_HOSTNAME=h\nSYSLOG_IDENTIFIER=sshd\n_PID=7\nMESSAGE=hello there\n\n",
			want: []exportEntry{{cursor: "s=1;i=2", realtime: 1764000000000000, mono: 5,
				vals: vals("_HOSTNAME", "h", "SYSLOG_IDENTIFIER", "sshd", "_PID", "7", "MESSAGE", "hello there")}}},
		{name: "binary value with newline and invalid UTF-8",
			in:   "__CURSOR=c\n" + binField("MESSAGE", "a\nb\xff=c") + binField("_COMM", "") + "\n",
			want: []exportEntry{{cursor: "c", vals: vals("MESSAGE", "a\nb\xff=c", "_COMM", "")}}},
		{name: "repeated field keeps the first",
			in:   "MESSAGE=a\nMESSAGE=b\n" + binField("MESSAGE", "c") + "\n",
			want: []exportEntry{{vals: vals("MESSAGE", "a")}}},
		{name: "names that only start like used ones",
			in:   "MESSAGE_ID=x\n_HOSTNAMEX=y\nSYSLOG_PIDX=z\n_PID=\n\n",
			want: []exportEntry{{vals: vals("_PID", "")}}},
		{name: "value with equals signs",
			in:   "MESSAGE=k=v=w\n\n",
			want: []exportEntry{{vals: vals("MESSAGE", "k=v=w")}}},
		{name: "two entries, blank lines between",
			in:   "\n\nMESSAGE=1\n\n\nMESSAGE=2\n_SOURCE_REALTIME_TIMESTAMP=9\n\n",
			want: []exportEntry{{vals: vals("MESSAGE", "1")}, {vals: vals("MESSAGE", "2", "_SOURCE_REALTIME_TIMESTAMP", "9")}}},
		{name: "text field longer than the read buffer",
			in:   "MESSAGE=" + strings.Repeat("x", 200<<10) + "\n_PID=3\n\n",
			want: []exportEntry{{vals: vals("MESSAGE", strings.Repeat("x", 200<<10), "_PID", "3")}}},
		{name: "last entry without its blank line", in: "MESSAGE=1\n", err: "unexpected EOF"},
		{name: "cut in a field", in: "MESSAGE=1", err: "unexpected EOF"},
		{name: "cut binary length", in: "MESSAGE\n\x05\x00", err: "binary field length"},
		{name: "cut binary value", in: binField("MESSAGE", "hello")[:18], err: "binary field value"},
		{name: "binary value without newline", in: strings.TrimSuffix(binField("MESSAGE", "hello"), "\n") + "x\n", err: "not followed by a newline"},
		{name: "huge binary length", in: "MESSAGE\n\xff\xff\xff\xff\xff\xff\xff\x7f", err: "binary field of"},
		{name: "bad stamp", in: "__REALTIME_TIMESTAMP=soon\n\n", err: "__REALTIME_TIMESTAMP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAllExport(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, errExport) {
					t.Fatalf("err = %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// FuzzExportReader: any input parses or fails without panicking, and an
// entry built from the input survives being written and read back.
func FuzzExportReader(f *testing.F) {
	f.Add("MESSAGE=a\n\n")
	f.Add(binField("MESSAGE", "a\nb") + "\n")
	f.Add("__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=5\nMESSAGE\x00x\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		readAllExport(in) // must not panic
		// Each line of the input is a value for the next field name in
		// turn, which can repeat.
		names := []string{"MESSAGE", "_PID", "_HOSTNAME", "SYSLOG_IDENTIFIER", "X_OTHER", "MESSAGE"}
		var fields [][2]string
		var want entryValues
		var seen [numEntryFields]bool
		for i, v := range strings.Split(in, "\x00") {
			name := names[i%len(names)]
			fields = append(fields, [2]string{name, v})
			if k := slices.Index(entryFields[:], name); k >= 0 && !seen[k] {
				seen[k], want[k] = true, v
			}
		}
		var buf bytes.Buffer
		writeExport(&buf, fields)
		got, err := readAllExport(buf.String())
		if err != nil || len(got) != 1 || got[0].vals != want {
			t.Fatalf("read back %+v, %v; want %q", got, err, want)
		}
	})
}

func TestJournalctlArgs(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.journal", "a.journal"} {
		writeFile(t, filepath.Join(dir, n), "")
	}
	tests := []struct {
		name string
		opts JournalOptions
		want []string
		err  string
	}{
		{name: "system journal", opts: JournalOptions{}},
		{name: "local only", opts: JournalOptions{Flags: JournalLocalOnly}},
		{name: "files, sorted", opts: JournalOptions{Files: []string{filepath.Join(dir, "*.journal")}},
			want: []string{"--file=" + filepath.Join(dir, "a.journal"), "--file=" + filepath.Join(dir, "b.journal")}},
		{name: "no file", opts: JournalOptions{Files: []string{filepath.Join(dir, "none")}}, err: "no file found"},
		{name: "path", opts: JournalOptions{Path: dir}, want: []string{"--directory=" + dir}},
		{name: "runtime only", opts: JournalOptions{Flags: JournalRuntimeOnly}, want: []string{"--directory=/run/log/journal"}},
		{name: "current user", opts: JournalOptions{Flags: JournalCurrentUser}, err: "CURRENT_USER"},
		{name: "namespace", opts: JournalOptions{Namespace: "n"}, err: "namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := JournalctlArgs(tt.opts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("JournalctlArgs = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// journalctl's own errors reach the caller with its message; a match term
// that is no FIELD=value never reaches it.
func TestReadJournalctl_Errors(t *testing.T) {
	if _, err := exec.LookPath(JournalctlPath); err != nil {
		t.Skip("journalctl not installed")
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.journal")
	writeFile(t, bad, "not a journal")
	err := readJournalctl(t.Context(), []string{"--file=" + bad}, "", nil, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "journalctl: ") {
		t.Errorf("unreadable file: err = %v", err)
	}
	err = readJournalctl(t.Context(), []string{"--file=" + bad}, "", []string{"--since=now"}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "journal match") {
		t.Errorf("option as match: err = %v", err)
	}
}

func TestCursorSeqnum(t *testing.T) {
	for c, want := range map[string]uint64{"s=ab;i=1f;b=c;m=1;t=2;x=3": 31, "i=0": 0} {
		if n, ok := cursorSeqnum(c); !ok || n != want {
			t.Errorf("cursorSeqnum(%q) = %d, %v; want %d", c, n, ok, want)
		}
	}
	for _, c := range []string{"", "s=ab;b=c", "i=zz"} {
		if _, ok := cursorSeqnum(c); ok {
			t.Errorf("cursorSeqnum(%q) ok", c)
		}
	}
}
