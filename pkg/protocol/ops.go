package protocol

import (
	"encoding/binary"
	"math"

	"github.com/f2b/f2b/pkg/pyval"
)

// Pickle opcodes (Lib/pickletools.py names).
const (
	opMark           = '('
	opStop           = '.'
	opPop            = '0'
	opPopMark        = '1'
	opDup            = '2'
	opFloat          = 'F'
	opInt            = 'I'
	opBinInt         = 'J'
	opBinInt1        = 'K'
	opLong           = 'L'
	opBinInt2        = 'M'
	opNone           = 'N'
	opPersID         = 'P'
	opBinPersID      = 'Q'
	opReduce         = 'R'
	opString         = 'S'
	opBinString      = 'T'
	opShortBinString = 'U'
	opUnicode        = 'V'
	opBinUnicode     = 'X'
	opAppend         = 'a'
	opBuild          = 'b'
	opGlobal         = 'c'
	opDict           = 'd'
	opEmptyDict      = '}'
	opAppends        = 'e'
	opGet            = 'g'
	opBinGet         = 'h'
	opInst           = 'i'
	opLongBinGet     = 'j'
	opList           = 'l'
	opEmptyList      = ']'
	opObj            = 'o'
	opPut            = 'p'
	opBinPut         = 'q'
	opLongBinPut     = 'r'
	opSetItem        = 's'
	opTuple          = 't'
	opEmptyTuple     = ')'
	opSetItems       = 'u'
	opBinFloat       = 'G'
	opProto          = 0x80
	opNewObj         = 0x81
	opExt1           = 0x82
	opExt2           = 0x83
	opExt4           = 0x84
	opTuple1         = 0x85
	opTuple2         = 0x86
	opTuple3         = 0x87
	opNewTrue        = 0x88
	opNewFalse       = 0x89
	opLong1          = 0x8a
	opLong4          = 0x8b
	opBinBytes       = 'B'
	opShortBinBytes  = 'C'
	opShortBinUni    = 0x8c
	opBinUnicode8    = 0x8d
	opBinBytes8      = 0x8e
	opEmptySet       = 0x8f
	opAddItems       = 0x90
	opFrozenSet      = 0x91
	opNewObjEx       = 0x92
	opStackGlobal    = 0x93
	opMemoize        = 0x94
	opFrame          = 0x95
	opByteArray8     = 0x96
	opNextBuffer     = 0x97
	opReadOnlyBuffer = 0x98
)

// highestProtocol is the newest pickle protocol (Python 3.8+).
const highestProtocol = 5

// forbidden names opcodes that build objects or reach outside the data.
var forbidden = map[byte]string{
	opGlobal: "GLOBAL", opStackGlobal: "STACK_GLOBAL", opReduce: "REDUCE",
	opBuild: "BUILD", opInst: "INST", opObj: "OBJ", opNewObj: "NEWOBJ",
	opNewObjEx: "NEWOBJ_EX", opExt1: "EXT1", opExt2: "EXT2", opExt4: "EXT4",
	opPersID: "PERSID", opBinPersID: "BINPERSID", opNextBuffer: "NEXT_BUFFER",
	opReadOnlyBuffer: "READONLY_BUFFER",
}

// exec runs one opcode (its byte already consumed).
func (d *Decoder) exec(code byte) error {
	switch code {
	case opMark, opPop, opPopMark, opDup, opProto, opFrame:
		return d.execControl(code)
	case opNone:
		return d.push(nil)
	case opNewTrue:
		return d.push(true)
	case opNewFalse:
		return d.push(false)
	case opInt, opBinInt, opBinInt1, opBinInt2, opLong, opLong1, opLong4, opFloat, opBinFloat:
		return d.execNumber(code)
	case opString, opBinString, opShortBinString, opUnicode, opBinUnicode, opShortBinUni,
		opBinUnicode8, opBinBytes, opShortBinBytes, opBinBytes8, opByteArray8:
		return d.execText(code)
	case opEmptyList, opEmptyTuple, opEmptyDict, opEmptySet, opList, opTuple, opDict,
		opFrozenSet, opTuple1, opTuple2, opTuple3:
		return d.execBuild(code)
	case opAppend, opAppends, opSetItem, opSetItems, opAddItems:
		return d.execExtend(code)
	case opGet, opBinGet, opLongBinGet, opPut, opBinPut, opLongBinPut, opMemoize:
		return d.execMemo(code)
	}
	if name, ok := forbidden[code]; ok {
		return d.execForbidden(code, name)
	}
	return d.invalidKey(code)
}

func (d *Decoder) invalidKey(code byte) error {
	if code >= 0x20 && code <= 0x7e && code != '\'' && code != '\\' {
		return d.failf("invalid load key, '%c'.", code)
	}
	return d.failf("invalid load key, '\\x%02x'.", code)
}

func (d *Decoder) execControl(code byte) error {
	switch code {
	case opMark:
		if len(d.marks) >= d.opts.MaxDepth {
			return d.tooDeep()
		}
		d.marks = append(d.marks, len(d.stack))
	case opPop:
		return d.execPop()
	case opPopMark:
		m, err := d.marker()
		if err != nil {
			return err
		}
		clear(d.stack[m:])
		d.stack = d.stack[:m]
	case opDup:
		n := len(d.stack)
		if n <= d.fence() {
			return d.underflow()
		}
		return d.push(d.stack[n-1])
	case opProto:
		b, err := d.take(1)
		if err != nil {
			return err
		}
		if b[0] > highestProtocol {
			return d.failf("unsupported pickle protocol: %d", b[0])
		}
	case opFrame:
		// CPython only checks that the announced bytes exist.
		b, err := d.take(8)
		if err != nil {
			return err
		}
		n := binary.LittleEndian.Uint64(b)
		if n > math.MaxInt64 {
			return d.failf("FRAME length exceeds system's maximum of %d bytes", int64(math.MaxInt64))
		}
		_, err = d.take(n)
		d.pos -= int(n) // CPython checks the bytes exist, then reads on
		return err
	}
	return nil
}

// execPop mirrors CPython: POP right after a MARK discards the mark.
func (d *Decoder) execPop() error {
	n := len(d.stack)
	if m := len(d.marks); m > 0 && d.marks[m-1] == n {
		d.marks = d.marks[:m-1]
		return nil
	}
	if n <= d.fence() {
		return d.underflow()
	}
	d.stack[n-1] = nil
	d.stack = d.stack[:n-1]
	return nil
}

func (d *Decoder) execBuild(code byte) error {
	switch code {
	case opEmptyList:
		return d.push(&box{kind: kList})
	case opEmptyTuple:
		return d.push(&box{kind: kTuple})
	case opEmptyDict:
		return d.push(&box{kind: kDict})
	case opEmptySet:
		return d.push(&box{kind: kSet})
	case opTuple1, opTuple2, opTuple3:
		return d.execSmallTuple(int(code-opTuple1) + 1)
	}
	items, err := d.popMark()
	if err != nil {
		return err
	}
	b, err := d.fromItems(code, items)
	clear(items)
	if err != nil {
		return err
	}
	return d.push(b)
}

func (d *Decoder) fromItems(code byte, items []any) (*box, error) {
	switch code {
	case opList:
		return &box{kind: kList, items: append([]any(nil), items...)}, nil
	case opTuple:
		return &box{kind: kTuple, items: append([]any(nil), items...)}, nil
	case opDict:
		if len(items)%2 != 0 {
			return nil, d.fail("odd number of items for DICT")
		}
		return d.fill(&box{kind: kDict}, items)
	}
	return d.fill(&box{kind: kFrozenSet}, items)
}

// fill adds items (pairs for a dict) to a dict or set box.
func (d *Decoder) fill(b *box, items []any) (*box, error) {
	step := 1
	if b.kind == kDict {
		step = 2
	}
	for i := 0; i+step <= len(items); i += step {
		var v any
		if step == 2 {
			v = items[i+1]
		}
		if err := d.add(b, items[i], v); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (d *Decoder) execSmallTuple(n int) error {
	start := len(d.stack) - n
	if start < d.fence() {
		return d.underflow()
	}
	b := &box{kind: kTuple, items: append([]any(nil), d.stack[start:]...)}
	clear(d.stack[start:])
	d.stack = d.stack[:start]
	return d.push(b)
}

// execExtend runs APPEND(S), SETITEM(S) and ADDITEMS with CPython's checks.
func (d *Decoder) execExtend(code byte) error {
	x := len(d.stack) - 1
	switch code {
	case opSetItem:
		x = len(d.stack) - 2
	case opAppends, opSetItems, opAddItems:
		m, err := d.marker()
		if err != nil {
			return err
		}
		x = m
	}
	if x > len(d.stack) || x <= d.fence() {
		return d.underflow()
	}
	if x == len(d.stack) {
		return nil
	}
	items := d.stack[x:]
	err := d.extend(code, d.stack[x-1], items)
	clear(items)
	d.stack = d.stack[:x]
	return err
}

func (d *Decoder) extend(code byte, target any, items []any) error {
	b, ok := target.(*box)
	switch code {
	case opAppend, opAppends:
		if !ok || b.kind != kList {
			return d.failf("'%s' object has no attribute 'append'", typeName(target))
		}
		b.items = append(b.items, items...)
		return nil
	case opAddItems:
		if !ok || b.kind != kSet {
			return d.failf("'%s' object has no attribute 'add'", typeName(target))
		}
		_, err := d.fill(b, items)
		return err
	}
	if len(items)%2 != 0 {
		return d.fail("odd number of items for SETITEMS")
	}
	if !ok || b.kind != kDict {
		return d.failf("'%s' object does not support item assignment", typeName(target))
	}
	_, err := d.fill(b, items)
	return err
}

func (d *Decoder) execForbidden(code byte, name string) error {
	if d.opts.Reply {
		switch code {
		case opGlobal, opStackGlobal, opReduce, opBuild:
			return d.execReplyObject(code)
		}
	}
	if code == opGlobal {
		module, err := d.line()
		if err != nil {
			return err
		}
		cls, err := d.line()
		if err != nil {
			return err
		}
		return d.failf("global '%s.%s' is forbidden", module, cls)
	}
	return d.failf("opcode %s is forbidden (no objects may be constructed)", name)
}

// float64frombits is split out for the number opcodes.
func float64frombits(b []byte) float64 {
	return math.Float64frombits(binary.BigEndian.Uint64(b))
}

var _ = pyval.Tuple(nil)
