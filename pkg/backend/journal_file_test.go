package backend

import (
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"
)

// buildJournal lays out a minimal journal file in the documented format:
// a header, one DATA object per distinct payload, an ENTRY object per
// entry (realtime 1e15+i µs, monotonic i+1 µs, one boot) and one global
// entry array. It lets the parser be tested, and fuzzed, in both layouts
// without systemd-journal-remote.
func buildJournal(entries [][]string, compact bool) []byte {
	const headerSize = 272
	b := make([]byte, headerSize)
	le := binary.LittleEndian
	obj := func(typ byte, size int) int {
		off := len(b)
		b = append(b, make([]byte, (size+7)&^7)...)
		b[off] = typ
		le.PutUint64(b[off+8:], uint64(size))
		return off
	}
	dataStart := 64
	itemSize, width := 16, 8
	if compact {
		dataStart, itemSize, width = 72, 4, 4
	}
	data := map[string]int{}
	var entryOffs []int
	for i, e := range entries {
		var items []int
		for _, p := range e {
			off, ok := data[p]
			if !ok {
				off = obj(jObjectData, dataStart+len(p))
				copy(b[off+dataStart:], p)
				data[p] = off
			}
			items = append(items, off)
		}
		off := obj(jObjectEntry, jEntryItemsOffset+itemSize*len(items))
		le.PutUint64(b[off+16:], uint64(i+1))           // seqnum
		le.PutUint64(b[off+24:], uint64(1e15+int64(i))) // realtime
		le.PutUint64(b[off+32:], uint64(i+1))           // monotonic
		copy(b[off+40:], "0123456789abcdef")            // boot_id
		le.PutUint64(b[off+56:], uint64(i))             // xor_hash
		for k, it := range items {
			if compact {
				le.PutUint32(b[off+jEntryItemsOffset+4*k:], uint32(it))
			} else {
				le.PutUint64(b[off+jEntryItemsOffset+16*k:], uint64(it))
			}
		}
		entryOffs = append(entryOffs, off)
	}
	arr := obj(jObjectEntryArray, jArrayItemsOffset+width*max(len(entryOffs), 1))
	for k, e := range entryOffs {
		if compact {
			le.PutUint32(b[arr+jArrayItemsOffset+4*k:], uint32(e))
		} else {
			le.PutUint64(b[arr+jArrayItemsOffset+8*k:], uint64(e))
		}
	}
	copy(b, "LPKSHHRH")
	if compact {
		le.PutUint32(b[12:], jIncompatCompact|jIncompatKeyedHash)
	}
	le.PutUint64(b[88:], headerSize)
	copy(b[72:], "seqnum-id-000000")
	le.PutUint64(b[152:], uint64(len(entryOffs)))
	le.PutUint64(b[176:], uint64(arr))
	return b
}

// readEntry is one entry as a reader gives it.
type readEntry struct {
	text string
	tm   time.Time
}

// readerOver reads journal bytes held in memory, as if mapped.
func readerOver(data []byte, match []string) (*JournalFileReader, error) {
	m, err := newJournalMatch(match)
	if err != nil {
		return nil, err
	}
	if len(data) < jHeaderMinSize {
		return nil, errJournalCorrupt
	}
	f := &journalFile{data: data}
	if err := f.readHeader(); err != nil {
		return nil, err
	}
	dec, _ := NewDecoder("utf-8")
	return &JournalFileReader{heads: []*fileHead{{f: f, it: entryIter{f: f}}}, match: m, dec: dec}, nil
}

func TestJournalFileReader_Layouts(t *testing.T) {
	entries := [][]string{
		{"_HOSTNAME=h", "_COMM=sshd", "_PID=7", "MESSAGE=one"},
		{"_HOSTNAME=h", "_COMM=cron", "MESSAGE=two", "_SOURCE_REALTIME_TIMESTAMP=5"},
		{"_COMM=sshd", "SYSLOG_IDENTIFIER=sshd", "SYSLOG_PID=9", "_PID=7", "MESSAGE=three\nlines"},
	}
	want := []readEntry{
		{"h sshd[7]: one", time.UnixMicro(1e15)},
		{"h cron: two", time.UnixMicro(5)},
		{`sshd[9]: three\nlines`, time.UnixMicro(1e15 + 2)},
	}
	for _, compact := range []bool{false, true} {
		for _, tt := range []struct {
			match []string
			want  []readEntry
		}{
			{nil, want},
			{[]string{"_COMM=sshd"}, []readEntry{want[0], want[2]}},
			{[]string{"_COMM=cron", "+", "_PID=7", "SYSLOG_PID=9"}, want[1:]},
		} {
			r, err := readerOver(buildJournal(entries, compact), tt.match)
			if err != nil {
				t.Fatal(err)
			}
			var got []readEntry
			for {
				text, tm, _, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("compact=%v: %v", compact, err)
				}
				got = append(got, readEntry{text, tm})
			}
			if len(got) != len(tt.want) {
				t.Fatalf("compact=%v match %q: %v, want %v", compact, tt.match, got, tt.want)
			}
			for i := range got {
				if got[i].text != tt.want[i].text || !got[i].tm.Equal(tt.want[i].tm) {
					t.Errorf("compact=%v match %q entry %d: %v, want %v", compact, tt.match, i, got[i], tt.want[i])
				}
			}
		}
	}
}

// Any bytes: the reader returns entries, EOF or an error, never panics
// or loops.
func FuzzJournalFileReader(f *testing.F) {
	es := [][]string{{"_COMM=sshd", "MESSAGE=a"}, {"SYSLOG_IDENTIFIER=x", "SYSLOG_PID=0x10", "MESSAGE=b"}}
	f.Add(buildJournal(es, false), false)
	f.Add(buildJournal(es, true), true)
	f.Fuzz(func(t *testing.T, data []byte, match bool) {
		var m []string
		if match {
			m = []string{"_COMM=sshd", "+", "MESSAGE=b"}
		}
		r, err := readerOver(data, m)
		if err != nil {
			return
		}
		for range 10000 {
			_, _, _, err := r.Next()
			var fe *JournalFallbackError
			if err == nil || errors.As(err, &fe) && !fe.Rest {
				continue
			}
			return
		}
		t.Fatal("no end after 10000 entries")
	})
}
