package regextest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/backend"
)

// JournalOpener reads the systemd journal from its start to its current
// end for a "systemd-journal[args]" LOG argument, calling emit for every
// entry (text as fail2ban formats it, and the entry's time). match holds
// the journal matches (journalctl syntax); encoding decodes non-UTF-8
// fields.
type JournalOpener func(ctx context.Context, args map[string]string, match []string, encoding string, emit func(text string, t time.Time)) error

// errNoJournal is fail2ban-regex's message without python-systemd.
var errNoJournal = errors.New("Error: systemd library not found. Exiting...")

// encodingName is the -e value as fail2ban-regex prints it.
func (t *tester) encodingName() (string, error) {
	e := t.o.Encoding
	if e == "" {
		e = "auto"
	}
	return backend.ResolveEncoding(e)
}

// readFile feeds the lines of a log file to fn: split on "\n", trailing
// "\r\n" characters stripped, a last line without newline left out, as
// fail2ban-regex's FileContainer does.
func readFile(r io.Reader, dec backend.Decoder, fn func(line string)) error {
	br := bufio.NewReaderSize(r, 256<<10)
	for {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			big := append([]byte(nil), b...)
			for errors.Is(err, bufio.ErrBufferFull) {
				b, err = br.ReadSlice('\n')
				big = append(big, b...)
			}
			b = big
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		fn(dec(trimEOL(b)))
	}
}

func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// isFile reports whether path names a regular file (os.path.isfile).
func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// feed opens the LOG argument, prints its "Use" lines and runs every
// line through the tester.
func (t *tester) feed(ctx context.Context, log string) error {
	switch {
	case isFile(log):
		return t.feedFile(log)
	case strings.HasPrefix(log, "systemd-journal"):
		return t.feedJournal(ctx, log)
	}
	if t.maxLines <= 1 && !strings.Contains(log, "\n") {
		t.output("Use      single line : %s", shortstr(log))
		t.output("")
		t.process(func(fn func(string, *dateResult)) error { fn(log, nil); return nil })
		return nil
	}
	lines := strings.Split(log, "\n")
	t.output("Use      multi line : %d line(s)", len(lines))
	for i, l := range lines {
		if i >= 5 {
			t.output("| ...")
			break
		}
		t.output("| %2.2s: %s", fmt.Sprint(i+1), shortstr(l))
	}
	t.output("`-")
	t.output("")
	t.process(func(fn func(string, *dateResult)) error {
		for _, l := range lines {
			fn(l, nil)
		}
		return nil
	})
	return nil
}

func (t *tester) feedFile(path string) error {
	enc, err := t.encodingName()
	if err != nil {
		return err
	}
	dec, err := backend.NewDecoder(enc)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	t.output("Use         log file : %s", path)
	t.output("Use         encoding : %s", enc)
	t.output("")
	var dates func(string) dateResult
	if t.dates != nil {
		dates = t.dates.detect
	}
	return t.process(func(fn func(string, *dateResult)) error { return readAhead(f, dec, dates, fn) })
}

// batchLines is the number of lines handed from the reader to the filter
// at once; readAhead keeps at most readAheadBatches of them in flight.
const (
	batchLines       = 1024
	readAheadBatches = 4
)

// readAhead is readFile with the reading, decoding and (when dates is
// set) date detection on a second goroutine, so that they overlap with
// the (sequential, stateful) filter. Lines reach fn in file order, each
// with its date when dates is set.
func readAhead(r io.Reader, dec backend.Decoder, dates func(string) dateResult, fn func(string, *dateResult)) error {
	type item struct {
		line string
		dr   dateResult
	}
	batches := make(chan []item, readAheadBatches)
	errc := make(chan error, 1)
	go func() {
		defer close(batches)
		batch := make([]item, 0, batchLines)
		err := readFile(r, dec, func(l string) {
			if l == "" || l[0] == '#' {
				return
			}
			it := item{line: l}
			if dates != nil {
				it.dr = dates(l)
			}
			batch = append(batch, it)
			if len(batch) == batchLines {
				batches <- batch
				batch = make([]item, 0, batchLines)
			}
		})
		if len(batch) > 0 {
			batches <- batch
		}
		errc <- err
	}()
	for b := range batches {
		for i := range b {
			var dr *dateResult
			if dates != nil {
				dr = &b[i].dr
			}
			fn(b[i].line, dr)
		}
	}
	return <-errc
}

func (t *tester) feedJournal(ctx context.Context, log string) error {
	if t.env.Journal == nil {
		t.output("%s", errNoJournal)
		return &printedError{errNoJournal}
	}
	_, args, err := parseFilterSpec(log)
	if err != nil {
		return err
	}
	kv := map[string]string{}
	for _, it := range args {
		kv[it.Key.(string)] = it.Value.(string)
	}
	enc, err := t.encodingName()
	if err != nil {
		return err
	}
	t.output("Use         systemd journal")
	t.output("Use         encoding : %s", enc)
	if len(t.journalMatch) > 0 {
		t.output("Use    journal match : %s", strings.Join(t.journalMatch, " "))
	}
	t.output("")
	return t.processJournal(func(emit func(string, time.Time)) error {
		return t.env.Journal(ctx, kv, t.journalMatch, enc, emit)
	})
}
