package backend

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"
)

// JournalFileReader reads journal files from their first entry to their
// end without libsystemd, in the order libsystemd's sd_journal_next gives
// (see next), with journalctl-style matches, and turns each entry into
// fail2ban's text and failure time as EntryReader does. It exists for
// speed: libsystemd costs a few cgo calls and a field scan per entry, this
// costs a walk over the entry's items in mapped memory.
//
// What it does not decode it hands back as a *JournalFallbackError, for the
// caller to read through journalctl: a compressed DATA object in an entry
// (that entry only), or a file structure it does not understand (the rest
// of the journal). A JournalFileReader belongs to one goroutine.
type JournalFileReader struct {
	// ReadCompressed, if set, reads an entry with compressed data through
	// journalctl while its file's candidate is chosen: ok is false when the
	// entry fails the matches. Unset, Next hands such an entry back as a
	// *JournalFallbackError instead, judged only when it is its turn, which
	// can disturb the order of several files (see scan).
	ReadCompressed func(path, cursor string) (text string, t time.Time, ok bool, err error)

	heads  []*fileHead
	match  journalMatch
	dec    Decoder
	loc    jEntry // the last entry returned (libsystemd's current location)
	locSeq [16]byte
	hasLoc bool
	buf    []byte
	state  matchState // reused by scan
}

// JournalFallbackError asks the caller to read through journalctl: the one
// entry at Cursor, or (Rest) every entry after Cursor ("" means from the
// head), matches applied.
type JournalFallbackError struct {
	Cursor string
	Rest   bool
	Err    error
}

func (e *JournalFallbackError) Error() string {
	return fmt.Sprintf("journal entry %s needs journalctl: %v", e.Cursor, e.Err)
}

func (e *JournalFallbackError) Unwrap() error { return e.Err }

// fileHead is one file's position in the merge: its candidate entry (the
// next one that satisfies the matches) and that entry's fields.
type fileHead struct {
	f        *journalFile
	it       entryIter
	have     bool // e and vals hold the candidate
	eof      bool
	fallback bool // the candidate has compressed data: journalctl reads it
	e        jEntry
	vals     entryValues
	items    *itemCache // created on the file's first entry
	// pre: the candidate was read through ReadCompressed already.
	pre     bool
	preText string
	preTime time.Time
}

// OpenJournalFileReader maps the journal files at paths. match holds
// FIELD=value terms with "+" between OR groups, as sd_journal_add_match
// and sd_journal_add_disjunction take them. Any error means the files
// should be read through journalctl instead, which also reports errors
// the way libsystemd does.
func OpenJournalFileReader(paths []string, match []string, dec Decoder) (*JournalFileReader, error) {
	m, err := newJournalMatch(match)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, errors.New("no journal file")
	}
	r := &JournalFileReader{match: m, dec: dec}
	for _, p := range paths {
		f, err := openJournalFile(p)
		if err != nil {
			r.Close()
			return nil, err
		}
		f.path = p
		r.heads = append(r.heads, &fileHead{f: f, it: entryIter{f: f}})
	}
	return r, nil
}

// Close unmaps the files; strings Next returned stay valid.
func (r *JournalFileReader) Close() {
	for _, h := range r.heads {
		h.f.close()
	}
	r.heads = nil
}

// Next returns the next entry's text, failure time and realtime stamp, or
// io.EOF after the last one, or a *JournalFallbackError.
//
// The order is sd_journal_next's over several files: each file is walked
// in its own order, the earliest of the files' next entries is taken
// (compareEntries), and entries not after the last one taken are skipped,
// which drops an entry present in two files.
func (r *JournalFileReader) Next() (text string, t time.Time, realtime uint64, err error) {
	// A file truncated under the mapping faults instead of reading: make
	// that an error (and a fallback) rather than a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			if _, fault := p.(interface{ Addr() uintptr }); !fault {
				panic(p) // a bug, not the file
			}
			err = r.restFallback(fmt.Errorf("%w: fault reading mapped file: %v", errJournalCorrupt, p))
		}
	}()
	var best *fileHead
	for _, h := range r.heads {
		if err := r.fill(h); err != nil {
			return "", time.Time{}, 0, r.restFallback(err)
		}
		if h.have && (best == nil || compareEntries(h.f.seqnumID, &h.e, best.f.seqnumID, &best.e) < 0) {
			best = h
		}
	}
	if best == nil {
		return "", time.Time{}, 0, io.EOF
	}
	r.loc, r.locSeq, r.hasLoc = best.e, best.f.seqnumID, true
	r.loc.items = nil // the location needs the stamps only
	best.have = false
	if best.pre {
		return best.preText, best.preTime, best.e.realtime, nil
	}
	if best.fallback {
		return "", time.Time{}, 0, &JournalFallbackError{Cursor: best.f.cursor(&best.e), Err: errJournalCompressed}
	}
	r.buf = best.vals.appendText(r.buf[:0], time.Duration(best.e.monotonic)*time.Microsecond, r.dec)
	return string(r.buf), best.vals.time(best.e.realtime), best.e.realtime, nil
}

// restFallback hands the rest of the journal, after the last entry
// returned, to journalctl.
func (r *JournalFileReader) restFallback(err error) error {
	c := ""
	if r.hasLoc {
		c = cursorText(r.locSeq, &r.loc)
	}
	return &JournalFallbackError{Cursor: c, Rest: true, Err: err}
}

// fill gives h a candidate that comes after the current location, unless
// its file has no more.
func (r *JournalFileReader) fill(h *fileHead) error {
	for !h.eof {
		if !h.have {
			if err := r.advance(h); err != nil || h.eof {
				return err
			}
		}
		if !r.hasLoc || compareEntries(h.f.seqnumID, &h.e, r.locSeq, &r.loc) > 0 {
			return nil
		}
		h.have = false // not after the location: seen already
	}
	return nil
}

// advance moves h to its file's next entry that satisfies the matches.
func (r *JournalFileReader) advance(h *fileHead) error {
	for {
		off, err := h.it.next()
		if err != nil {
			return err
		}
		if off == 0 {
			h.eof = true
			return nil
		}
		if err := h.f.entry(off, &h.e); err != nil {
			return err
		}
		ok, err := r.scan(h)
		if err != nil {
			return err
		}
		if ok {
			h.have = true
			return nil
		}
	}
}

// scan reads h's entry items once: the fields fail2ban's line uses (the
// first of a repeated field, as libsystemd's enumeration order gives it)
// and whether the matches hold. An entry with compressed data is judged and
// read through ReadCompressed. Without it, the entry is kept as a candidate
// for the caller to judge and read through journalctl; one that then fails
// the matches still counted as the current location, which matters when
// several files disagree on the order of their entries.
func (r *JournalFileReader) scan(h *fileHead) (bool, error) {
	f, e := h.f, &h.e
	n := f.itemCount(e)
	if n == 0 || e.seqnum == 0 {
		return false, fmt.Errorf("%w: entry at %d", errJournalCorrupt, e.off)
	}
	h.vals = entryValues{}
	h.fallback, h.pre, h.preText = false, false, ""
	if h.items == nil {
		h.items = new(itemCache)
	}
	var seen [numEntryFields]bool
	r.state = r.match.start(r.state)
	state := r.state
	for i := range n {
		it, err := r.itemInfo(h, f.item(e, i))
		if err == errJournalCompressed {
			return r.compressed(h)
		}
		if err != nil {
			return false, err
		}
		if k := it.field; k >= 0 && !seen[k] {
			seen[k] = true
			h.vals[k] = it.value
		}
		for _, t := range it.terms {
			r.match.set(state, t)
		}
	}
	return r.match.holds(state), nil
}

// itemCache remembers what scan learned from the DATA objects it read
// last, by offset (direct-mapped). Most items of an entry (unit, command,
// host, boot id, identifier) point to the same few objects entry after
// entry, since a journal file stores each distinct FIELD=value once, so
// their field, value and match terms are looked up rather than parsed
// again. Objects never change once written, and the values alias the
// mapping, as payload's do.
type itemCache [256]itemInfo

type itemInfo struct {
	off   uint64 // 0: empty slot (no object lives at offset 0)
	field int    // entryFieldIndex of the payload
	value string // the payload's value when field >= 0
	terms []int  // the match terms the payload equals
}

// itemInfo returns what the DATA object at off holds, from the cache or
// read and remembered.
func (r *JournalFileReader) itemInfo(h *fileHead, off uint64) (*itemInfo, error) {
	it := &h.items[(off/8)%uint64(len(h.items))]
	if it.off == off && off != 0 {
		return it, nil
	}
	p, err := h.f.payload(off)
	if err != nil {
		return nil, err
	}
	*it = itemInfo{off: off, field: entryFieldIndex(p), terms: r.match.termsOf(p, it.terms[:0])}
	if it.field >= 0 {
		it.value = p[len(entryFields[it.field])+1:]
	}
	return it, nil
}

// compressed decides h's entry, which has compressed data: through
// ReadCompressed if set, else by handing it to the caller.
func (r *JournalFileReader) compressed(h *fileHead) (bool, error) {
	if r.ReadCompressed == nil {
		h.fallback = true
		return true, nil
	}
	text, t, ok, err := r.ReadCompressed(h.f.path, h.f.cursor(&h.e))
	if err != nil || !ok {
		return false, err
	}
	h.pre, h.preText, h.preTime = true, text, t
	return true, nil
}

// entryFieldIndex is the entryValues index of the "FIELD=value" payload p,
// or -1 for a field fail2ban's line does not use. It runs for every item of
// every entry, so it looks at a byte or two before comparing names.
func entryFieldIndex(p string) int {
	if len(p) < 5 {
		return -1
	}
	k := -1
	switch p[0] {
	case 'M':
		k = fieldMessage
	case 'S':
		if len(p) < 8 {
			return -1
		}
		if p[7] == 'I' { // SYSLOG_IDENTIFIER, SYSLOG_PID
			k = fieldIdent
		} else if p[7] == 'P' {
			k = fieldSyslogPID
		}
	case '_':
		switch p[1] {
		case 'H':
			k = fieldHostname
		case 'C':
			k = fieldComm
		case 'P':
			k = fieldPID
		case 'S':
			if strings.HasPrefix(p, "_SOURCE_R") {
				k = fieldSourceRealtime
			} else {
				k = fieldSourceMonotonic
			}
		}
	}
	if k < 0 {
		return -1
	}
	name := entryFields[k]
	if len(p) <= len(name) || p[len(name)] != '=' || p[:len(name)] != name {
		return -1
	}
	return k
}

// compareEntries orders entries of (possibly) different files as
// libsystemd does: by sequence number within one sequence-number source,
// else by monotonic time within one boot, else by realtime, and last by
// the hash of their contents. 0 means the same entry.
func compareEntries(aSeq [16]byte, a *jEntry, bSeq [16]byte, b *jEntry) int {
	if aSeq == bSeq {
		if c := cmp.Compare(a.seqnum, b.seqnum); c != 0 {
			return c
		}
	}
	if a.bootID == b.bootID {
		if c := cmp.Compare(a.monotonic, b.monotonic); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(a.realtime, b.realtime); c != 0 {
		return c
	}
	return cmp.Compare(a.xorHash, b.xorHash)
}

// journalMatch is libsystemd's match expression: groups ORed; in a group,
// terms of different fields ANDed and terms of one field ORed. No group
// matches every entry.
type journalMatch struct {
	terms []matchTerm
	// need[g] has one bit per distinct field of group g.
	need []uint64
}

type matchTerm struct {
	payload string // "FIELD=value"
	group   int
	bit     uint64 // the field's bit in need[group]
}

func newJournalMatch(args []string) (journalMatch, error) {
	groups, err := splitMatch(args)
	if err != nil {
		return journalMatch{}, err
	}
	var m journalMatch
	for _, g := range groups {
		if len(g) == 0 {
			continue // sd_journal_add_disjunction on an empty group is a no-op
		}
		fields := map[string]uint64{}
		gi := len(m.need)
		var need uint64
		for _, term := range g {
			if len(term) < 2 || strings.HasPrefix(term, "__") {
				return journalMatch{}, fmt.Errorf("journal match %q: invalid", term) // as libsystemd refuses it
			}
			name, _, _ := strings.Cut(term, "=")
			bit, ok := fields[name]
			if !ok {
				if len(fields) == 64 {
					return journalMatch{}, errors.New("journal match: too many fields in one group")
				}
				bit = 1 << len(fields)
				fields[name] = bit
			}
			need |= bit
			m.terms = append(m.terms, matchTerm{payload: term, group: gi, bit: bit})
		}
		m.need = append(m.need, need)
	}
	return m, nil
}

// matchState records which fields of each group an entry satisfied.
type matchState []uint64

// start returns a cleared state, reusing s.
func (m *journalMatch) start(s matchState) matchState {
	if cap(s) < len(m.need) {
		return make(matchState, len(m.need))
	}
	s = s[:len(m.need)]
	clear(s)
	return s
}

// termsOf appends to dst the indices of the terms that payload equals.
func (m *journalMatch) termsOf(payload string, dst []int) []int {
	for i := range m.terms {
		if m.terms[i].payload == payload {
			dst = append(dst, i)
		}
	}
	return dst
}

// set records in s that the entry holds term i.
func (m *journalMatch) set(s matchState, i int) {
	t := &m.terms[i]
	s[t.group] |= t.bit
}

func (m *journalMatch) holds(s matchState) bool {
	if len(m.need) == 0 {
		return true
	}
	for g, need := range m.need {
		if s[g]&need == need {
			return true
		}
	}
	return false
}
