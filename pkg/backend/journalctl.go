package backend

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// journalctl reads what JournalFileReader cannot decode itself (compressed
// data, file structures it does not know, the system journal's own set of
// files) through journalctl's export format, the journal's binary-safe
// serialization. journalctl is libsystemd's own reader, so its entries,
// order and matches are libsystemd's, and the program that reads the
// journal this way links no C library.

// JournalctlPath is the journalctl program run; a bare name is looked up
// in PATH.
var JournalctlPath = "journalctl"

// JournalctlArgs returns the journalctl arguments that open the journal
// the options name, as the libsystemd reader opens it: the files, the
// directory, the runtime journal, or the local journal by default.
func JournalctlArgs(o JournalOptions) ([]string, error) {
	src, err := o.source()
	switch {
	case err != nil:
		return nil, err
	case src.files != nil:
		return fileArgs(src.files), nil
	case src.dir != "":
		return []string{"--directory=" + src.dir}, nil
	}
	return nil, nil
}

// fileArgs are the journalctl arguments that read the journal files at
// paths.
func fileArgs(paths []string) []string {
	args := make([]string, len(paths))
	for i, p := range paths {
		args[i] = "--file=" + p
	}
	return args
}

// ReadJournalctl reads every entry of the journal o names that satisfies
// match (FIELD=value terms, "+" between OR groups), from the first to the
// current end, and calls emit with each entry's text and failure time.
func ReadJournalctl(ctx context.Context, o JournalOptions, match []string, dec Decoder, emit func(string, time.Time)) error {
	args, err := JournalctlArgs(o)
	if err != nil {
		return err
	}
	return readJournalctl(ctx, args, "", match, dec, emit)
}

// readJournalctl runs journalctl with args, from after cursor ("" for the
// head), and emits each entry.
func readJournalctl(ctx context.Context, args []string, after string, match []string, dec Decoder, emit func(string, time.Time)) error {
	if after != "" {
		args = append(args[:len(args):len(args)], "--after-cursor="+after)
	}
	x, err := startExport(ctx, args, match)
	if err != nil {
		return err
	}
	var e exportEntry
	var buf []byte
	for {
		if err := x.next(&e); err != nil {
			if errors.Is(err, io.EOF) {
				err = x.close()
			} else {
				x.close()
			}
			if ctx.Err() != nil {
				return ctx.Err() // journalctl was stopped, not failing
			}
			return err
		}
		var text string
		var t time.Time
		text, t, buf = e.line(buf, dec)
		emit(text, t)
	}
}

// exportEntry is what fail2ban's line needs of one exported entry.
type exportEntry struct {
	cursor         string
	realtime, mono uint64
	vals           entryValues
}

// line is the entry's text and failure time, as EntryReader gives them;
// buf is scratch space for the text, returned for reuse.
func (e *exportEntry) line(buf []byte, dec Decoder) (string, time.Time, []byte) {
	buf = e.vals.appendText(buf[:0], time.Duration(e.mono)*time.Microsecond, dec)
	return string(buf), e.vals.time(e.realtime), buf
}

// exportStream is a running journalctl and the entries it writes.
type exportStream struct {
	cmd    *exec.Cmd
	r      *exportReader
	stderr bytes.Buffer
	cancel context.CancelFunc
}

// startExport starts journalctl writing the matching entries selected by
// args in export format. The match terms go after "--": they were
// checked as FIELD=value (splitMatch), so none reads as an option or a
// path.
func startExport(ctx context.Context, args, match []string) (*exportStream, error) {
	groups, err := splitMatch(match)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	argv := append([]string{"--output=export", "--no-pager", "--quiet"}, args...)
	argv = append(argv, "--")
	// An empty group adds nothing to libsystemd's matches, while
	// journalctl refuses a "+" that does not stand between two terms.
	sep := false
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		if sep {
			argv = append(argv, "+")
		}
		argv, sep = append(argv, g...), true
	}
	x := &exportStream{cmd: exec.CommandContext(ctx, JournalctlPath, argv...), cancel: cancel}
	x.cmd.Stderr = &x.stderr
	out, err := x.cmd.StdoutPipe()
	if err == nil {
		err = x.cmd.Start()
	}
	if err != nil {
		cancel()
		return nil, fmt.Errorf("systemd journal: %w", err)
	}
	x.r = newExportReader(out)
	return x, nil
}

func (x *exportStream) next(e *exportEntry) error { return x.r.next(e) }

// close stops journalctl and reports how it ended: an error with its
// message when it failed. A stream closed before its end is cut short,
// which is no error.
func (x *exportStream) close() error {
	defer x.cancel()
	if _, err := x.r.r.Peek(1); !errors.Is(err, io.EOF) {
		x.cancel()
		x.cmd.Wait()
		return nil
	}
	err := x.cmd.Wait() // read to the end: journalctl exits by itself
	if err == nil {
		return nil
	}
	msg := strings.TrimSpace(x.stderr.String())
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("systemd journal: journalctl: %s", msg)
}

// exportReader parses the journal export format: entries separated by an
// empty line, each field either "NAME=value\n" or "NAME\n" followed by
// the value's length (64 bits, little-endian), the value and "\n".
type exportReader struct {
	r    *bufio.Reader
	name []byte
	bin  []byte
	long []byte
}

func newExportReader(r io.Reader) *exportReader {
	return &exportReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// errExport reports export data that does not parse.
var errExport = errors.New("journal export stream not understood")

// next reads the next entry into e; io.EOF when the stream ends between
// entries. A repeated field keeps its first value, as libsystemd's
// sd_journal_get_data gives it.
func (x *exportReader) next(e *exportEntry) error {
	*e = exportEntry{}
	var seen [numEntryFields]bool
	fields := 0
	for {
		line, err := x.line()
		if err != nil {
			if errors.Is(err, io.EOF) && len(line) == 0 && fields == 0 {
				return io.EOF
			}
			return fmt.Errorf("%w: %v", errExport, io.ErrUnexpectedEOF)
		}
		line = line[:len(line)-1]
		if len(line) == 0 {
			if fields == 0 {
				continue // tolerate blank lines between entries
			}
			return nil
		}
		fields++
		var name, value []byte
		if i := bytes.IndexByte(line, '='); i >= 0 {
			name, value = line[:i], line[i+1:]
		} else {
			x.name = append(x.name[:0], line...)
			name = x.name
			if value, err = x.binary(); err != nil {
				return err
			}
		}
		if err := e.set(name, value, &seen); err != nil {
			return err
		}
	}
}

// line returns the next line with its newline, valid until the next
// read; a line longer than the buffer (a long text field) is put
// together in x.long.
func (x *exportReader) line() ([]byte, error) {
	line, err := x.r.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, err
	}
	x.long = append(x.long[:0], line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = x.r.ReadSlice('\n')
		x.long = append(x.long, line...)
	}
	return x.long, err
}

// binary reads a binary field's length, value and closing newline.
func (x *exportReader) binary() ([]byte, error) {
	var n [8]byte
	if _, err := io.ReadFull(x.r, n[:]); err != nil {
		return nil, fmt.Errorf("%w: binary field length: %v", errExport, io.ErrUnexpectedEOF)
	}
	size := binary.LittleEndian.Uint64(n[:])
	const maxField = 256 << 20 // journald's own limit on an entry is lower
	if size > maxField {
		return nil, fmt.Errorf("%w: binary field of %d bytes", errExport, size)
	}
	if cap(x.bin) < int(size)+1 {
		x.bin = make([]byte, int(size)+1)
	}
	b := x.bin[:size+1]
	if _, err := io.ReadFull(x.r, b); err != nil {
		return nil, fmt.Errorf("%w: binary field value: %v", errExport, io.ErrUnexpectedEOF)
	}
	if b[size] != '\n' {
		return nil, fmt.Errorf("%w: binary field not followed by a newline", errExport)
	}
	return b[:size], nil
}

// set records one field of the entry: the addresses and stamps, and the
// fields fail2ban's line uses.
func (e *exportEntry) set(name, value []byte, seen *[numEntryFields]bool) error {
	switch string(name) {
	case "__CURSOR":
		e.cursor = string(value)
		return nil
	case "__REALTIME_TIMESTAMP", "__MONOTONIC_TIMESTAMP":
		n, err := strconv.ParseUint(string(value), 10, 64)
		if err != nil {
			return fmt.Errorf("%w: %s=%q", errExport, name, value)
		}
		if name[2] == 'R' {
			e.realtime = n
		} else {
			e.mono = n
		}
		return nil
	}
	if len(name) > 64 {
		return nil // longer than any field name journald accepts
	}
	// entryFieldIndex takes the "NAME=value" payload; the name with its
	// "=" is enough to tell the field.
	var p [65]byte
	k := entryFieldIndex(string(append(append(p[:0], name...), '=')))
	if k >= 0 && !seen[k] {
		seen[k] = true
		e.vals[k] = string(value)
	}
	return nil
}

// cursorSeqnum returns the i= (sequence number) of a journal cursor.
func cursorSeqnum(c string) (uint64, bool) {
	for part := range strings.SplitSeq(c, ";") {
		if v, ok := strings.CutPrefix(part, "i="); ok {
			n, err := strconv.ParseUint(v, 16, 64)
			return n, err == nil
		}
	}
	return 0, false
}
