package store

import (
	"database/sql"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
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
	var ip, tob, bt, count any
	var raw sql.RawBytes
	if err := r.Scan(&ip, &tob, &bt, &count, &raw); err != nil {
		return err
	}
	p.ban = Ban{IP: text(ip), Time: time.Unix(int64(number(tob)), 0), BanTime: int64(number(bt)), BanCount: int(number(count))}
	p.raw = append([]byte(nil), raw...)
	return nil
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
	keep    func(*Ban) bool
	log     *slog.Logger
	cur     []pendingBan
	results []*[]Ban // one slot per chunk, filled by its goroutine
	sem     chan struct{}
	wg      sync.WaitGroup
}

func newDecoder(keep func(*Ban) bool, log *slog.Logger) *decoder {
	return &decoder{keep: keep, log: log, sem: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
}

func (d *decoder) add(p pendingBan) {
	d.cur = append(d.cur, p)
	if len(d.cur) == decodeChunk {
		d.dispatch()
	}
}

func (d *decoder) dispatch() {
	chunk, slot := d.cur, new([]Ban)
	d.cur = make([]pendingBan, 0, decodeChunk)
	d.results = append(d.results, slot)
	d.sem <- struct{}{}
	d.wg.Go(func() {
		defer func() { <-d.sem }()
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
		*slot = out
	})
}

// wait decodes what is left and returns all kept bans in row order.
func (d *decoder) wait() []Ban {
	if len(d.cur) > 0 {
		d.dispatch()
	}
	d.wg.Wait()
	n := 0
	for _, r := range d.results {
		n += len(*r)
	}
	out := make([]Ban, 0, n)
	for _, r := range d.results {
		out = append(out, *r...)
	}
	return out
}
