package backend

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// journalFile is one journal file mapped read-only, read as systemd's
// journal file format documents it
// (https://systemd.io/JOURNAL_FILE_FORMAT/): a header, then 8-byte aligned
// objects. Only what reading entries in order needs is decoded: the global
// entry array chain, ENTRY objects and the DATA objects they point to.
// Compressed DATA objects are not decoded (errJournalCompressed); the
// caller reads such entries through journalctl instead.
//
// The header is read once, at open: entries appended later are not seen,
// which suits a reader that reads a journal to its current end.
type journalFile struct {
	path     string
	data     []byte // the mapping; nil after close
	compact  bool   // 32-bit offsets in entries and entry arrays
	seqnumID [16]byte
	nEntries uint64 // entries in the global entry array at open
	arrays   uint64 // offset of the first global entry array
}

// Journal file layout (all integers little-endian).
const (
	jHeaderMinSize   = 208 // up to and including tail_entry_monotonic
	jHeaderCompactSz = 264 // compact files carry tail_entry_array_offset and _n_entries

	jIncompatXZ        = 1 << 0
	jIncompatLZ4       = 1 << 1
	jIncompatKeyedHash = 1 << 2
	jIncompatZSTD      = 1 << 3
	jIncompatCompact   = 1 << 4
	jIncompatKnown     = jIncompatXZ | jIncompatLZ4 | jIncompatKeyedHash | jIncompatZSTD | jIncompatCompact

	jObjectData       = 1
	jObjectEntry      = 3
	jObjectEntryArray = 6
	jObjectCompressed = 1<<0 | 1<<1 | 1<<2 // XZ, LZ4, ZSTD
	jObjectHeaderSize = 16
	jEntryItemsOffset = 64 // seqnum, realtime, monotonic, boot_id, xor_hash
	jArrayItemsOffset = 24 // next_entry_array_offset
)

var (
	errJournalCompressed = errors.New("compressed journal data")
	errJournalCorrupt    = errors.New("journal file structure not understood")
)

// openJournalFile maps path and checks its header; files this reader does
// not understand (unknown incompatible flags, a short header) are refused,
// as libsystemd refuses them.
func openJournalFile(path string) (*journalFile, error) {
	fd, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fd.Close() // the mapping stays valid without the descriptor
	st, err := fd.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size < jHeaderMinSize || size != int64(int(size)) {
		return nil, fmt.Errorf("%s: %w: short file", path, errJournalCorrupt)
	}
	data, err := syscall.Mmap(int(fd.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("%s: mmap: %w", path, err)
	}
	f := &journalFile{data: data}
	if err := f.readHeader(); err != nil {
		f.close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

func (f *journalFile) readHeader() error {
	d := f.data
	if string(d[:8]) != "LPKSHHRH" {
		return fmt.Errorf("%w: bad signature", errJournalCorrupt)
	}
	incompat := binary.LittleEndian.Uint32(d[12:])
	if incompat&^jIncompatKnown != 0 {
		return fmt.Errorf("%w: incompatible flags %#x", errJournalCorrupt, incompat)
	}
	f.compact = incompat&jIncompatCompact != 0
	headerSize := binary.LittleEndian.Uint64(d[88:])
	if headerSize < jHeaderMinSize || f.compact && headerSize < jHeaderCompactSz || headerSize > uint64(len(d)) {
		return fmt.Errorf("%w: header size %d", errJournalCorrupt, headerSize)
	}
	copy(f.seqnumID[:], d[72:88])
	f.nEntries = binary.LittleEndian.Uint64(d[152:])
	if f.nEntries > uint64(len(d))/jEntryItemsOffset { // more than fit: a broken header or chain
		return fmt.Errorf("%w: %d entries", errJournalCorrupt, f.nEntries)
	}
	f.arrays = binary.LittleEndian.Uint64(d[176:])
	return nil
}

func (f *journalFile) close() {
	if f.data != nil {
		syscall.Munmap(f.data)
		f.data = nil
	}
}

// object returns the bytes of the object of type typ at off, checked
// against the file's bounds.
func (f *journalFile) object(off uint64, typ byte) ([]byte, error) {
	d := f.data
	if off == 0 || off%8 != 0 || off > uint64(len(d))-jObjectHeaderSize {
		return nil, fmt.Errorf("%w: object offset %d", errJournalCorrupt, off)
	}
	size := binary.LittleEndian.Uint64(d[off+8:])
	if d[off] != typ || size < jObjectHeaderSize || size > uint64(len(d))-off {
		return nil, fmt.Errorf("%w: object at %d: type %d size %d", errJournalCorrupt, off, d[off], size)
	}
	return d[off : off+size], nil
}

// payload returns the "FIELD=value" bytes of the DATA object at off, as a
// string that aliases the mapping (valid until close).
func (f *journalFile) payload(off uint64) (string, error) {
	o, err := f.object(off, jObjectData)
	if err != nil {
		return "", err
	}
	if o[1]&jObjectCompressed != 0 {
		return "", errJournalCompressed
	}
	start := 64
	if f.compact {
		start = 72 // tail_entry_array_offset, tail_entry_array_n_entries
	}
	if len(o) < start {
		return "", fmt.Errorf("%w: short data object at %d", errJournalCorrupt, off)
	}
	p := o[start:]
	if len(p) == 0 {
		return "", nil
	}
	return unsafe.String(&p[0], len(p)), nil
}

// jEntry is an ENTRY object: its stamps and where its items are.
type jEntry struct {
	off       uint64
	seqnum    uint64
	realtime  uint64
	monotonic uint64
	bootID    [16]byte
	xorHash   uint64
	items     []byte // the item array, 16 (regular) or 4 (compact) bytes each
}

// entry reads the ENTRY object at off.
func (f *journalFile) entry(off uint64, e *jEntry) error {
	o, err := f.object(off, jObjectEntry)
	if err != nil {
		return err
	}
	if len(o) < jEntryItemsOffset {
		return fmt.Errorf("%w: short entry at %d", errJournalCorrupt, off)
	}
	e.off = off
	e.seqnum = binary.LittleEndian.Uint64(o[16:])
	e.realtime = binary.LittleEndian.Uint64(o[24:])
	e.monotonic = binary.LittleEndian.Uint64(o[32:])
	copy(e.bootID[:], o[40:56])
	e.xorHash = binary.LittleEndian.Uint64(o[56:])
	e.items = o[jEntryItemsOffset:]
	return nil
}

// itemCount is the number of data items of e.
func (f *journalFile) itemCount(e *jEntry) int {
	if f.compact {
		return len(e.items) / 4
	}
	return len(e.items) / 16
}

// item is the DATA object offset of item i of e.
func (f *journalFile) item(e *jEntry, i int) uint64 {
	if f.compact {
		return uint64(binary.LittleEndian.Uint32(e.items[4*i:]))
	}
	return binary.LittleEndian.Uint64(e.items[16*i:])
}

// cursor is libsystemd's cursor text for e (sd_journal_get_cursor).
func (f *journalFile) cursor(e *jEntry) string { return cursorText(f.seqnumID, e) }

func cursorText(seqnumID [16]byte, e *jEntry) string {
	return fmt.Sprintf("s=%s;i=%x;b=%s;m=%x;t=%x;x=%x", hex.EncodeToString(seqnumID[:]), e.seqnum,
		hex.EncodeToString(e.bootID[:]), e.monotonic, e.realtime, e.xorHash)
}

// entryIter walks a file's global entry array chain in order.
type entryIter struct {
	f     *journalFile
	done  uint64 // entries returned so far
	array []byte // current ENTRY_ARRAY object
	i     int    // next item of array
}

// next returns the offset of the next entry, 0 at the end.
func (it *entryIter) next() (uint64, error) {
	f := it.f
	if it.done >= f.nEntries {
		return 0, nil
	}
	width := 8
	if f.compact {
		width = 4
	}
	for it.array == nil || jArrayItemsOffset+(it.i+1)*width > len(it.array) {
		next := f.arrays
		if it.array != nil {
			next = binary.LittleEndian.Uint64(it.array[16:])
		}
		a, err := f.object(next, jObjectEntryArray)
		if err != nil {
			return 0, err
		}
		if len(a) < jArrayItemsOffset+width { // also ends a cycle of empty arrays
			return 0, fmt.Errorf("%w: short entry array at %d", errJournalCorrupt, next)
		}
		it.array, it.i = a, 0
	}
	p := jArrayItemsOffset + it.i*width
	var off uint64
	if f.compact {
		off = uint64(binary.LittleEndian.Uint32(it.array[p:]))
	} else {
		off = binary.LittleEndian.Uint64(it.array[p:])
	}
	if off == 0 {
		return 0, fmt.Errorf("%w: empty entry array slot", errJournalCorrupt)
	}
	it.i++
	it.done++
	return off, nil
}
