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

func scanPending(r scanner, p *pendingBan) error {
	// Scanning into any skips database/sql's conversions, which were a
	// large part of a restore's cost.
	// The data column arrives as a fresh string (TEXT) or a cloned []byte
	// (BLOB) owned by this row, so it is kept without another copy.
	var ip, tob, bt, count, data any
	if err := r.Scan(&ip, &tob, &bt, &count, &data); err != nil {
		return err
	}
	p.ban = Ban{IP: text(ip), Time: time.Unix(int64(number(tob)), 0), BanTime: int64(number(bt)), BanCount: int(number(count))}
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

// decode turns one chunk of rows into the bans kept.
func (d *decoder) decode(chunk []pendingBan) []Ban {
	out := make([]Ban, 0, len(chunk))
	for _, p := range chunk {
		data, err := decodeData(p.raw)
		if err != nil {
			d.log.Debug("undecodable ban data", "ip", p.ban.IP, "err", err)
		}
		p.ban.Data = data
		if d.keep(&p.ban) {
			out = append(out, p.ban)
		}
	}
	return out
}

// stream calls next on a helper goroutine until it reports the end,
// decodes the rows in chunks in parallel and hands the kept bans to fn in
// row order on the calling goroutine, so reading, decoding and the
// caller's work overlap. An error from fn stops the reading.
func (d *decoder) stream(next func() (pendingBan, bool, error), fn func([]Ban) error) error {
	queue := make(chan chan []Ban, d.ahead)
	stop := make(chan struct{})
	done := make(chan struct{})
	var readErr error
	go func() {
		defer close(done)
		defer close(queue)
		readErr = d.read(next, queue, stop)
	}()
	var fnErr error
	for ch := range queue {
		bans := <-ch
		if fnErr != nil || len(bans) == 0 {
			continue
		}
		if fnErr = fn(bans); fnErr != nil {
			close(stop)
		}
	}
	<-done
	if fnErr != nil {
		return fnErr
	}
	return readErr
}

// read gathers rows into chunks and queues one decoding per chunk.
func (d *decoder) read(next func() (pendingBan, bool, error), queue chan<- chan []Ban, stop <-chan struct{}) error {
	chunk := make([]pendingBan, 0, decodeChunk)
	send := func() bool {
		ch := make(chan []Ban, 1)
		select {
		case queue <- ch:
		case <-stop:
			return false
		}
		c := chunk
		go func() { ch <- d.decode(c) }()
		chunk = make([]pendingBan, 0, decodeChunk)
		return true
	}
	for {
		p, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if chunk = append(chunk, p); len(chunk) == decodeChunk && !send() {
			return nil
		}
	}
	if len(chunk) > 0 {
		send()
	}
	return nil
}
