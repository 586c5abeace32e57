package protocol

import (
	"encoding/binary"
	"math/big"
	"strconv"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

func (d *Decoder) execNumber(code byte) error {
	switch code {
	case opInt:
		return d.execInt()
	case opLong:
		return d.execLong()
	case opFloat:
		return d.execFloat()
	case opLong1, opLong4:
		return d.execBinLong(code)
	}
	size := fixedSize(code)
	b, err := d.take(size)
	if err != nil {
		return err
	}
	switch code {
	case opBinInt:
		return d.push(int64(int32(binary.LittleEndian.Uint32(b))))
	case opBinInt1:
		return d.push(int64(b[0]))
	case opBinInt2:
		return d.push(int64(binary.LittleEndian.Uint16(b)))
	}
	return d.push(float64frombits(b))
}

// execInt is protocol 0's INT: "I01"/"I00" are True/False.
func (d *Decoder) execInt() error {
	line, err := d.line()
	if err != nil {
		return err
	}
	if len(line) == 0 {
		return d.truncated()
	}
	switch string(line) {
	case "00":
		return d.push(false)
	case "01":
		return d.push(true)
	}
	v, ok := parseInt(string(line), 0)
	if !ok {
		return d.fail("could not convert string to int")
	}
	return d.push(v)
}

func (d *Decoder) execLong() error {
	line, err := d.line()
	if err != nil {
		return err
	}
	if len(line) == 0 {
		return d.truncated()
	}
	s := string(line) + "\n"
	if line[len(line)-1] == 'L' {
		s = string(line[:len(line)-1])
	}
	v, ok := parseInt(s, 10)
	if !ok {
		return d.failf("invalid literal for int() with base 10: %s", pyval.Repr(s))
	}
	return d.push(v)
}

// parseInt parses a Python integer literal into int64 or *big.Int.
func parseInt(s string, base int) (any, bool) {
	t := strings.TrimSpace(s)
	if i, err := strconv.ParseInt(t, base, 64); err == nil {
		return i, true
	}
	b, ok := new(big.Int).SetString(t, base)
	if !ok {
		return nil, false
	}
	return b, true
}

func (d *Decoder) execFloat() error {
	line, err := d.line()
	if err != nil {
		return err
	}
	if len(line) == 0 {
		return d.truncated()
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(string(line)), 64)
	if err != nil && !isRangeErr(err) {
		return d.fail("could not convert string to float: '" + string(line) + "\n'")
	}
	return d.push(f)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// execBinLong decodes LONG1/LONG4: little-endian two's complement.
func (d *Decoder) execBinLong(code byte) error {
	var n uint64
	if code == opLong1 {
		b, err := d.take(1)
		if err != nil {
			return err
		}
		n = uint64(b[0])
	} else {
		b, err := d.take(4)
		if err != nil {
			return err
		}
		s := int32(binary.LittleEndian.Uint32(b))
		if s < 0 {
			return d.fail("LONG pickle has negative byte count")
		}
		n = uint64(s)
	}
	b, err := d.take(n)
	if err != nil {
		return err
	}
	return d.push(decodeLong(b))
}

// decodeLong turns two's complement little-endian bytes into an int.
func decodeLong(b []byte) any {
	if len(b) == 0 {
		return int64(0)
	}
	if len(b) <= 8 {
		var u uint64
		for i := len(b) - 1; i >= 0; i-- {
			u = u<<8 | uint64(b[i])
		}
		shift := 64 - 8*uint(len(b))
		return int64(u<<shift) >> shift
	}
	be := make([]byte, len(b))
	for i, c := range b {
		be[len(b)-1-i] = c
	}
	v := new(big.Int).SetBytes(be)
	if b[len(b)-1]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	if v.IsInt64() {
		return v.Int64()
	}
	return v
}

func fixedSize(code byte) uint64 {
	switch code {
	case opBinInt1:
		return 1
	case opBinInt2:
		return 2
	case opBinInt:
		return 4
	}
	return 8
}
