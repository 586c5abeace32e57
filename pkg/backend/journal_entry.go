//go:build cgo

package backend

import (
	"time"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

// EntryReader turns the current entry of a journal reader into fail2ban's
// text and failure time, reading only the fields FormatEntry and EntryTime
// use. sdjournal's GetEntry instead copies every field of the entry (an
// sshd entry carries 10-30), each a cgo call and allocations. The fast path
// (journal_fast.go) reads the stamps and walks the entry once in one cgo
// call, and builds the text without a map; if it is unavailable,
// the fields are asked for one sd_journal_get_data at a time. Buffers are
// reused between entries, so an EntryReader belongs to one goroutine.
//
// Limit, shared with the GetEntry path it replaces: a field repeated in one
// entry yields one value (the first), where python-systemd gives fail2ban a
// list and fail2ban joins repeated MESSAGE values with spaces.
type EntryReader struct {
	jr     *sdjournal.Journal
	dec    Decoder
	fields map[string]string
	fast   *fastReader // nil: field by field through go-systemd
	buf    []byte      // the fast path's text, reused
}

// NewEntryReader reads entries of jr, decoding non-UTF-8 fields with dec.
func NewEntryReader(jr *sdjournal.Journal, dec Decoder) *EntryReader {
	return &EntryReader{jr: jr, dec: dec, fields: make(map[string]string, 8), fast: newFastReader(jr)}
}

// Read formats the entry the last Next/Previous of the reader stopped at.
// realtime is the entry's own realtime stamp in microseconds (its position).
func (r *EntryReader) Read() (text string, t time.Time, realtime uint64, err error) {
	if r.fast != nil {
		var vals entryValues
		realtime, mono, err := r.fast.read(&vals)
		if err != nil {
			return "", time.Time{}, 0, err
		}
		r.buf = vals.appendText(r.buf[:0], time.Duration(mono)*time.Microsecond, r.dec)
		return string(r.buf), vals.time(realtime), realtime, nil
	}
	realtime, err = r.jr.GetRealtimeUsec()
	if err != nil {
		return "", time.Time{}, 0, err
	}
	clear(r.fields)
	r.get("_HOSTNAME")
	ident := r.get("SYSLOG_IDENTIFIER")
	if ident == "" {
		ident = r.get("_COMM")
	}
	var mono time.Duration
	if ident != "" && r.get("SYSLOG_PID") == "" {
		r.get("_PID")
	}
	if ident == "kernel" { // only "kernel:" lines carry the monotonic stamp
		r.get("_SOURCE_MONOTONIC_TIMESTAMP")
		us, err := r.jr.GetMonotonicUsec()
		if err == nil {
			mono = time.Duration(us) * time.Microsecond
		}
	}
	r.get("MESSAGE")
	r.get("_SOURCE_REALTIME_TIMESTAMP")
	return FormatEntry(r.fields, mono, r.dec), EntryTime(r.fields, realtime), realtime, nil
}

// get stores one field of the current entry in r.fields and returns it;
// a missing field is left out and reads as "". GetData returns
// "FIELD=value", whose value is sliced off without copying.
func (r *EntryReader) get(field string) string {
	d, err := r.jr.GetData(field)
	if err != nil || len(d) <= len(field) {
		return ""
	}
	v := d[len(field)+1:]
	r.fields[field] = v
	return v
}
