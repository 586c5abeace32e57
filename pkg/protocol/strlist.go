package protocol

import "encoding/binary"

// decodeStrList decodes, in one pass and without the stack machine, the
// shape nearly every request has: a flat list of str, as pickle.dumps
// writes ["set", jail, "attempt", ip, msg] with protocols 2 to 5 (and as
// the README's PHP snippet writes it):
//
//	PROTO n [FRAME len] EMPTY_LIST [memo] MARK
//	    (SHORT_BINUNICODE | BINUNICODE) [memo] …
//	APPENDS STOP
//
// where memo is MEMOIZE or BINPUT. It reports false for anything else and
// for anything the general decoder would refuse (bad UTF-8, a FRAME longer
// than the data, the caps), which then decodes the message itself and
// reports the error; the result is the same value either way
// (FuzzDecodeStrList checks it). Why: the general decoder's opcode
// dispatch, stack, memo and container boxes were a tenth of f2b-server's
// CPU per `set <jail> attempt` request.
func (d *Decoder) decodeStrList(data []byte) (any, bool) {
	p, ok := strListHead(data)
	if !ok {
		return nil, false
	}
	d.reset(data)
	defer d.release()
	memos := 1
	for p < len(data) {
		var n uint64
		switch data[p] {
		case opShortBinUni:
			if len(data)-p < 2 {
				return nil, false
			}
			n = uint64(data[p+1])
			p += 2
		case opBinUnicode:
			if len(data)-p < 5 {
				return nil, false
			}
			n = uint64(binary.LittleEndian.Uint32(data[p+1:]))
			p += 5
		case opAppends:
			return d.strListEnd(data, p+1, memos)
		default:
			return nil, false
		}
		if n > uint64(len(data)-p) {
			return nil, false
		}
		b := data[p : p+int(n)] // aliasing data up to its end, as d.str requires
		if checkUTF8(b) != "" {
			return nil, false
		}
		d.stack = append(d.stack, d.strValue(b))
		p += int(n)
		var m bool
		if p, m = skipMemo(data, p); m {
			memos++
		}
	}
	return nil, false
}

// strListHead checks "PROTO n [FRAME len] EMPTY_LIST [memo] MARK" and
// returns the offset after it.
func strListHead(data []byte) (int, bool) {
	if len(data) < 2 || data[0] != opProto || data[1] < 2 || data[1] > highestProtocol {
		return 0, false
	}
	p := 2
	if p < len(data) && data[p] == opFrame {
		if len(data)-p < 9 {
			return 0, false
		}
		n := binary.LittleEndian.Uint64(data[p+1:])
		p += 9
		if n > uint64(len(data)-p) {
			return 0, false
		}
	}
	if p >= len(data) || data[p] != opEmptyList {
		return 0, false
	}
	p, _ = skipMemo(data, p+1)
	if p >= len(data) || data[p] != opMark {
		return 0, false
	}
	return p + 1, true
}

// skipMemo skips a MEMOIZE or BINPUT at p, which stores the value just
// pushed: nothing in a flat list of str can refer to it again.
func skipMemo(data []byte, p int) (int, bool) {
	switch {
	case p < len(data) && data[p] == opMemoize:
		return p + 1, true
	case p+1 < len(data) && data[p] == opBinPut:
		return p + 2, true
	}
	return p, false
}

// strListEnd checks the STOP that must end the message after APPENDS and
// returns the list, copied out of the scratch stack.
func (d *Decoder) strListEnd(data []byte, p, memos int) (any, bool) {
	k := len(d.stack)
	if p != len(data)-1 || data[p] != opStop || k == 0 || 1+k+memos > d.opts.MaxItems {
		return nil, false
	}
	items := d.spare
	d.spare = nil
	if cap(items) < k {
		items = make([]any, k)
	}
	items = items[:k]
	copy(items, d.stack)
	return items, true
}
