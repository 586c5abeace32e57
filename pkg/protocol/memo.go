package protocol

import (
	"encoding/binary"
	"strconv"

	"github.com/f2b/f2b/pkg/pyval"
)

// sparseLimit is how far past the memo's end PUT may write before the
// entry goes to a map instead of growing the slice.
const sparseLimit = 4096

func (d *Decoder) execMemo(code byte) error {
	switch code {
	case opMemoize:
		return d.memoPutTop(uint64(d.nmemo))
	case opGet, opPut:
		return d.execLineMemo(code)
	}
	size := uint64(1)
	if code == opLongBinGet || code == opLongBinPut {
		size = 4
	}
	b, err := d.take(size)
	if err != nil {
		return err
	}
	idx := uint64(b[0])
	if size == 4 {
		idx = uint64(binary.LittleEndian.Uint32(b))
	}
	if code == opBinGet || code == opLongBinGet {
		return d.memoGet(idx)
	}
	return d.memoPutTop(idx)
}

func (d *Decoder) execLineMemo(code byte) error {
	line, err := d.line()
	if err != nil {
		return err
	}
	idx, err := strconv.ParseInt(string(line), 10, 64)
	if err != nil {
		return d.fail("invalid literal for int() with base 10: " + pyval.Repr(string(line)+"\n"))
	}
	if idx < 0 {
		if code == opPut {
			return d.fail("negative PUT argument")
		}
		return d.failf("Memo value not found at index %d", idx)
	}
	if code == opGet {
		return d.memoGet(uint64(idx))
	}
	return d.memoPutTop(uint64(idx))
}

func (d *Decoder) memoPutTop(idx uint64) error {
	n := len(d.stack)
	if n <= d.fence() {
		return d.underflow()
	}
	return d.memoPut(idx, d.stack[n-1])
}

func (d *Decoder) memoPut(idx uint64, v any) error {
	if idx < uint64(len(d.memo)) {
		if !d.memo[idx].ok {
			d.nmemo++
		}
		d.memo[idx] = memoSlot{v: v, ok: true}
		return nil
	}
	if d.nmemo >= d.opts.MaxItems {
		return d.failf("too many memo entries (more than %d)", d.opts.MaxItems)
	}
	if idx < uint64(len(d.memo))+sparseLimit && idx < uint64(d.opts.MaxItems) {
		for uint64(len(d.memo)) < idx {
			d.memo = append(d.memo, memoSlot{})
		}
		d.memo = append(d.memo, memoSlot{v: v, ok: true})
		d.nmemo++
		return nil
	}
	if d.sparse == nil {
		d.sparse = make(map[uint64]any)
	}
	if _, ok := d.sparse[idx]; !ok {
		d.nmemo++
	}
	d.sparse[idx] = v
	return nil
}

func (d *Decoder) memoGet(idx uint64) error {
	if idx < uint64(len(d.memo)) && d.memo[idx].ok {
		return d.push(d.memo[idx].v)
	}
	if v, ok := d.sparse[idx]; ok {
		return d.push(v)
	}
	return d.failf("Memo value not found at index %d", idx)
}
