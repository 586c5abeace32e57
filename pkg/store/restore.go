package store

import (
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// A restore reads up to a million rows; SQLite steps through them on one
// core while the JSON data is decoded on the others, in chunks.
const decodeChunk = 2048

// pendingBan is a row read but not yet decoded.
type pendingBan struct {
	ban Ban
	raw []byte
}

// rowScanner scans restore rows. Scanning into any skips database/sql's
// conversions, which were a large part of a restore's cost; the
// destinations are reused, since a fresh set per row was an allocation
// for each column of a million rows.
type rowScanner struct {
	vals [5]any
	dest []any
}

func newRowScanner() *rowScanner {
	s := &rowScanner{}
	s.dest = []any{&s.vals[0], &s.vals[1], &s.vals[2], &s.vals[3], &s.vals[4]}
	return s
}

// scan reads (ip, timeofban, bantime, bancount, data) into p.
func (s *rowScanner) scan(r scanner, p *pendingBan) error {
	if err := r.Scan(s.dest...); err != nil {
		return err
	}
	ip, tob, bt, count, data := s.vals[0], s.vals[1], s.vals[2], s.vals[3], s.vals[4]
	p.ban = Ban{IP: text(ip), Time: time.Unix(int64(number(tob)), 0), BanTime: int64(number(bt)), BanCount: int(number(count))}
	// The data column arrives as a fresh string (TEXT) or a cloned []byte
	// (BLOB) owned by this row, so it is kept without another copy.
	p.raw = rawData(data)
	return nil
}

// rawData views a scanned data value as bytes without copying; decodeData
// only reads it and copies what it keeps.
func rawData(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return unsafe.Slice(unsafe.StringData(x), len(x))
	case nil:
		return nil
	}
	return []byte(fmt.Sprint(v))
}

// text and number read SQLite values of any storage class.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func number(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	case string, []byte:
		f, _ := strconv.ParseFloat(strings.TrimSpace(text(x)), 64)
		return f
	}
	return 0
}

// decoder decodes chunks of rows in parallel and keeps their order.
type decoder struct {
	keep func(*Ban) bool
	log  *slog.Logger
	// ahead is how many chunks may be read or decoded before fn takes
	// them; it bounds the memory of a restore of any size.
	ahead int
}

func newDecoder(keep func(*Ban) bool, log *slog.Logger) *decoder {
	return &decoder{keep: keep, log: log, ahead: max(1, runtime.GOMAXPROCS(0)) + 1}
}

// chunk is a run of rows and the bans decoded from them. Chunks are
// recycled once fn is done with their bans (it must not keep them): a
// million rows would otherwise allocate hundreds of megabytes of arrays
// for the garbage collector to chase.
type chunk struct {
	rows []pendingBan
	bans []Ban
}

// reset drops the chunk's rows and bans, so that a recycled chunk does not
// keep their strings alive.
func (c *chunk) reset() {
	clear(c.rows)
	clear(c.bans)
	c.rows, c.bans = c.rows[:0], c.bans[:0]
}

// decode turns the chunk's rows into the bans kept.
func (d *decoder) decode(c *chunk) {
	for i := range c.rows {
		p := &c.rows[i]
		data, err := decodeData(p.raw)
		if err != nil {
			d.log.Debug("undecodable ban data", "ip", p.ban.IP, "err", err)
		}
		// Decoded in place: a ban handed to keep through a pointer
		// would otherwise move to the heap.
		c.bans = append(c.bans, p.ban)
		b := &c.bans[len(c.bans)-1]
		b.Data = data
		if !d.keep(b) {
			c.bans = c.bans[:len(c.bans)-1]
		}
	}
}

// stream calls next on a helper goroutine until it reports the end,
// decodes the rows in chunks in parallel and hands the kept bans to fn in
// row order on the calling goroutine, so reading, decoding and the
// caller's work overlap. An error from fn stops the reading.
func (d *decoder) stream(next func(*pendingBan) (bool, error), fn func([]Ban) error) error {
	queue := make(chan chan *chunk, d.ahead)
	// Every chunk in flight is in queue, being read, or with fn.
	free := make(chan *chunk, d.ahead+2)
	stop := make(chan struct{})
	done := make(chan struct{})
	var readErr error
	go func() {
		defer close(done)
		defer close(queue)
		readErr = d.read(next, queue, free, stop)
	}()
	var fnErr error
	for ch := range queue {
		c := <-ch
		if fnErr == nil && len(c.bans) > 0 {
			if fnErr = fn(c.bans); fnErr != nil {
				close(stop)
			}
		}
		c.reset()
		select {
		case free <- c:
		default:
		}
	}
	<-done
	if fnErr != nil {
		return fnErr
	}
	return readErr
}

// read gathers rows into chunks and queues one decoding per chunk.
func (d *decoder) read(next func(*pendingBan) (bool, error), queue chan<- chan *chunk, free chan *chunk, stop <-chan struct{}) error {
	c := newChunk(free)
	send := func() bool {
		ch := make(chan *chunk, 1)
		select {
		case queue <- ch:
		case <-stop:
			return false
		}
		full := c
		go func() {
			d.decode(full)
			ch <- full
		}()
		c = newChunk(free)
		return true
	}
	for {
		c.rows = append(c.rows, pendingBan{})
		ok, err := next(&c.rows[len(c.rows)-1])
		if err != nil {
			return err
		}
		if !ok {
			c.rows = c.rows[:len(c.rows)-1]
			break
		}
		if len(c.rows) == decodeChunk && !send() {
			return nil
		}
	}
	if len(c.rows) > 0 {
		send()
	}
	return nil
}

// newChunk takes a recycled chunk, or makes one.
func newChunk(free chan *chunk) *chunk {
	select {
	case c := <-free:
		return c
	default:
		return &chunk{rows: make([]pendingBan, 0, decodeChunk), bans: make([]Ban, 0, decodeChunk)}
	}
}
