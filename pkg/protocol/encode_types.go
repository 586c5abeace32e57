package protocol

import (
	"encoding/binary"
	"math/big"

	"github.com/f2b/f2b/pkg/pyval"
)

func (e *Encoder) saveInt(i int64) {
	switch {
	case i >= 0 && i <= 0xff:
		e.write(opBinInt1, byte(i))
	case i >= 0 && i <= 0xffff:
		e.write(opBinInt2, byte(i), byte(i>>8))
	case i >= math32Min && i <= math32Max:
		var b [5]byte
		b[0] = opBinInt
		binary.LittleEndian.PutUint32(b[1:], uint32(int32(i)))
		e.write(b[:]...)
	default:
		e.saveBig(big.NewInt(i))
	}
}

const (
	math32Min = -1 << 31
	math32Max = 1<<31 - 1
)

// saveBig writes LONG1/LONG4 with CPython's minimal two's complement.
func (e *Encoder) saveBig(x *big.Int) {
	if x.IsInt64() && x.Int64() >= math32Min && x.Int64() <= math32Max {
		e.saveInt(x.Int64())
		return
	}
	data := twosComplement(x)
	if len(data) < 256 {
		e.write(opLong1, byte(len(data)))
	} else {
		var b [5]byte
		b[0] = opLong4
		binary.LittleEndian.PutUint32(b[1:], uint32(len(data)))
		e.write(b[:]...)
	}
	e.write(data...)
}

// twosComplement returns x as little-endian two's complement in
// (bitlen/8)+1 bytes, dropping one redundant sign byte for negatives.
func twosComplement(x *big.Int) []byte {
	n := x.BitLen()/8 + 1
	v := new(big.Int).Set(x)
	if x.Sign() < 0 {
		v.Add(v, new(big.Int).Lsh(big.NewInt(1), uint(8*n)))
	}
	be := v.FillBytes(make([]byte, n))
	out := make([]byte, n)
	for i, c := range be {
		out[n-1-i] = c
	}
	if x.Sign() < 0 && n > 1 && out[n-1] == 0xff && out[n-2]&0x80 != 0 {
		out = out[:n-1]
	}
	return out
}

func (e *Encoder) saveStr(s string) {
	e.writeCounted(opShortBinUni, opBinUnicode, opBinUnicode8, s)
	e.memoize()
}

func (e *Encoder) saveBytes(b pyval.Bytes) {
	e.writeCounted(opShortBinBytes, opBinBytes, opBinBytes8, string(b))
	e.memoize()
}

// writeCounted writes a length-prefixed payload; payloads of 64 KiB or
// more go outside any frame, as CPython writes them.
func (e *Encoder) writeCounted(short, long, huge byte, s string) {
	big := len(s) >= frameSizeTarget
	if big {
		e.commitFrame()
		e.framing = false
	}
	switch {
	case len(s) < 256:
		e.write(short, byte(len(s)))
	case uint64(len(s)) <= 0xffffffff:
		var b [5]byte
		b[0] = long
		binary.LittleEndian.PutUint32(b[1:], uint32(len(s)))
		e.write(b[:]...)
	default:
		var b [9]byte
		b[0] = huge
		binary.LittleEndian.PutUint64(b[1:], uint64(len(s)))
		e.write(b[:]...)
	}
	e.writeString(s)
	if big {
		e.framing = true
	}
}

func (e *Encoder) saveList(items []any) error {
	e.write(opEmptyList)
	e.memoize()
	return e.batchAppends(items)
}

func (e *Encoder) saveStrings(items []string) error {
	anys := make([]any, len(items))
	for i, s := range items {
		anys[i] = s
	}
	return e.saveList(anys)
}

func (e *Encoder) batchAppends(items []any) error {
	if len(items) == 1 {
		if err := e.save(items[0]); err != nil {
			return err
		}
		e.write(opAppend)
		return nil
	}
	for start := 0; start < len(items); start += batchSize {
		e.write(opMark)
		for _, it := range items[start:min(start+batchSize, len(items))] {
			if err := e.save(it); err != nil {
				return err
			}
		}
		e.write(opAppends)
	}
	return nil
}

func (e *Encoder) saveTuple(items pyval.Tuple) error {
	if len(items) == 0 {
		e.write(opEmptyTuple)
		return nil
	}
	if len(items) > 3 {
		e.write(opMark)
	}
	for _, it := range items {
		if err := e.save(it); err != nil {
			return err
		}
	}
	switch len(items) {
	case 1, 2, 3:
		e.write(opTuple1 + byte(len(items)-1))
	default:
		e.write(opTuple)
	}
	e.memoize()
	return nil
}

// saveDict batches like CPython: note the empty trailing MARK SETITEMS
// batch it writes when the size is a multiple of 1000.
func (e *Encoder) saveDict(d pyval.Dict) error {
	e.write(opEmptyDict)
	e.memoize()
	if len(d) == 1 {
		return e.saveItem(d[0], opSetItem)
	}
	if len(d) == 0 {
		return nil
	}
	for start := 0; ; start += batchSize {
		e.write(opMark)
		n := 0
		for _, it := range d[start:min(start+batchSize, len(d))] {
			if err := e.saveItem(it, 0); err != nil {
				return err
			}
			n++
		}
		e.write(opSetItems)
		if n < batchSize {
			return nil
		}
	}
}

func (e *Encoder) saveItem(it pyval.Item, op byte) error {
	if err := e.save(it.Key); err != nil {
		return err
	}
	if err := e.save(it.Value); err != nil {
		return err
	}
	if op != 0 {
		e.write(op)
	}
	return nil
}

func (e *Encoder) saveSet(s pyval.Set) error {
	e.write(opEmptySet)
	e.memoize()
	if len(s) == 0 {
		return nil
	}
	for start := 0; ; start += batchSize {
		e.write(opMark)
		n := 0
		for _, it := range s[start:min(start+batchSize, len(s))] {
			if err := e.save(it); err != nil {
				return err
			}
			n++
		}
		e.write(opAddItems)
		if n < batchSize {
			return nil
		}
	}
}

func (e *Encoder) saveFrozenSet(s pyval.FrozenSet) error {
	e.write(opMark)
	for _, it := range s {
		if err := e.save(it); err != nil {
			return err
		}
	}
	e.write(opFrozenSet)
	e.memoize()
	return nil
}

// saveGlobal writes a class reference, or BINGET if this reply already
// named it (CPython memoizes the class object).
func (e *Encoder) saveGlobal(module, name string) {
	if idx, ok := findRef(e.globals, module, name); ok {
		e.get(idx)
		return
	}
	if idx, ok := findRef(e.modules, module, ""); ok {
		e.get(idx)
	} else {
		e.modules = append(e.modules, memoRef{module: module, idx: e.nmemo})
		e.saveStr(module)
	}
	e.saveStr(name)
	e.write(opStackGlobal)
	e.globals = append(e.globals, memoRef{module: module, name: name, idx: e.nmemo})
	e.memoize()
}

// saveIPAddr writes builtins.str(text), as fail2ban's IPAddr.__reduce__.
func (e *Encoder) saveIPAddr(ip IPAddr) {
	e.saveGlobal("builtins", "str")
	e.saveStr(string(ip))
	e.write(opTuple1)
	e.memoize()
	e.write(opReduce)
	e.memoize()
}

// saveException writes the default exception reduce: class, args, REDUCE.
func (e *Encoder) saveException(x *pyval.Exception) error {
	if x.Module == "" || x.Name == "" {
		return &EncodeError{Msg: "cannot pickle an exception without module and class name"}
	}
	e.saveGlobal(x.Module, x.Name)
	if err := e.saveTuple(pyval.Tuple(x.Args)); err != nil {
		return err
	}
	e.write(opReduce)
	e.memoize()
	return nil
}
