package protocol

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/f2b/f2b/pkg/pyval"
)

func (d *Decoder) execText(code byte) error {
	switch code {
	case opString:
		return d.execString()
	case opUnicode:
		line, err := d.line()
		if err != nil {
			return err
		}
		s, msg := rawUnicodeEscape(line)
		if msg != "" {
			return d.fail(msg)
		}
		return d.push(s)
	}
	b, err := d.counted(code)
	if err != nil {
		return err
	}
	switch code {
	case opBinString, opShortBinString:
		return d.pushASCII(b)
	case opBinUnicode, opShortBinUni, opBinUnicode8:
		if msg := checkUTF8(b); msg != "" {
			return d.fail(msg)
		}
		return d.pushStr(b)
	}
	return d.push(pyval.Bytes(append([]byte(nil), b...)))
}

// counted reads a length-prefixed argument.
func (d *Decoder) counted(code byte) ([]byte, error) {
	var size uint64
	switch code {
	case opShortBinString, opShortBinUni, opShortBinBytes:
		size = 1
	case opBinString, opBinUnicode, opBinBytes:
		size = 4
	default:
		size = 8
	}
	hdr, err := d.take(size)
	if err != nil {
		return nil, err
	}
	var n uint64
	switch size {
	case 1:
		n = uint64(hdr[0])
	case 4:
		n = uint64(binary.LittleEndian.Uint32(hdr))
		if code == opBinString && int32(n) < 0 {
			return nil, d.fail("BINSTRING pickle has negative byte count")
		}
	default:
		n = binary.LittleEndian.Uint64(hdr)
		if n > math.MaxInt64 {
			return nil, d.failf("%s exceeds system's maximum size of %d bytes", opName8[code], int64(math.MaxInt64))
		}
	}
	return d.take(n)
}

// execString is protocol 0's STRING: a quoted, escaped Python-2 str,
// decoded as ASCII as Python 3's unpickler does by default.
func (d *Decoder) execString() error {
	line, err := d.line()
	if err != nil {
		return err
	}
	if len(line) < 2 || line[0] != line[len(line)-1] || (line[0] != '\'' && line[0] != '"') {
		return d.fail("the STRING opcode argument must be quoted")
	}
	b, msg := escapeDecode(line[1 : len(line)-1])
	if msg != "" {
		return d.fail(msg)
	}
	if err := d.checkASCII(b); err != nil {
		return err
	}
	return d.push(string(b)) // decoded copy, not a slice of the input
}

func (d *Decoder) checkASCII(b []byte) error {
	for i, c := range b {
		if c >= 0x80 {
			return d.failf("'ascii' codec can't decode byte 0x%02x in position %d: ordinal not in range(128)", c, i)
		}
	}
	return nil
}

// pushASCII pushes b, a slice of the input, as an ASCII str.
func (d *Decoder) pushASCII(b []byte) error {
	for i, c := range b {
		if c >= 0x80 {
			return d.failf("'ascii' codec can't decode byte 0x%02x in position %d: ordinal not in range(128)", c, i)
		}
	}
	return d.pushStr(b)
}

// escapeDecode is codecs.escape_decode: Python-2 string literal escapes.
func escapeDecode(s []byte) ([]byte, string) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 >= len(s) {
			return nil, "Trailing \\ in string"
		}
		i++
		var msg string
		out, i, msg = escapeOne(out, s, i)
		if msg != "" {
			return nil, msg
		}
	}
	return out, ""
}

var simpleEscapes = map[byte]byte{
	'\\': '\\', '\'': '\'', '"': '"', 'b': '\b', 'f': '\f', 't': '\t',
	'n': '\n', 'r': '\r', 'v': '\v', 'a': '\a',
}

// escapeOne decodes the escape whose letter is s[i]; it returns the index
// of the escape's last byte.
func escapeOne(out, s []byte, i int) ([]byte, int, string) {
	c := s[i]
	if r, ok := simpleEscapes[c]; ok {
		return append(out, r), i, ""
	}
	switch {
	case c == '\n':
		return out, i, ""
	case c >= '0' && c <= '7':
		v, j := int(c-'0'), i+1
		for ; j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7'; j++ {
			v = v*8 + int(s[j]-'0')
		}
		return append(out, byte(v)), j - 1, ""
	case c == 'x':
		if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			return append(out, hexVal(s[i+1])<<4|hexVal(s[i+2])), i + 2, ""
		}
		return nil, i, fmt.Sprintf("invalid \\x escape at position %d", i-1)
	}
	return append(out, '\\', c), i, ""
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// rawUnicodeEscape decodes Python's raw-unicode-escape codec: bytes are
// Latin-1 code points, and \uXXXX / \UXXXXXXXX are escapes when preceded
// by an odd number of backslashes.
func rawUnicodeEscape(s []byte) (string, string) {
	if plainASCII(s) {
		return string(s), ""
	}
	out := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) || (s[i+1] != 'u' && s[i+1] != 'U') || precededByOddBackslashes(s, i) {
			out = appendCodePoint(out, rune(c))
			continue
		}
		n := 4
		if s[i+1] == 'U' {
			n = 8
		}
		r, ok := hexRune(s[i+2 : min(i+2+n, len(s))])
		if !ok || i+2+n > len(s) {
			esc := map[int]string{4: `\uXXXX`, 8: `\UXXXXXXXX`}[n]
			return "", fmt.Sprintf("'rawunicodeescape' codec can't decode bytes in position %d-%d: truncated %s escape", i, min(i+1+n, len(s)-1), esc)
		}
		if r > 0x10ffff {
			return "", fmt.Sprintf("'rawunicodeescape' codec can't decode bytes in position %d-%d: \\Uxxxxxxxx out of range", i, i+1+n)
		}
		out = appendCodePoint(out, r)
		i += 1 + n
	}
	return string(out), ""
}

// precededByOddBackslashes reports whether the backslash at s[i] is itself
// escaped, i.e. an odd number of backslashes directly precede it.
func precededByOddBackslashes(s []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

func hexRune(s []byte) (rune, bool) {
	var r rune
	for _, c := range s {
		if !isHex(c) {
			return 0, false
		}
		r = r<<4 | rune(hexVal(c))
	}
	return r, true
}

func plainASCII(s []byte) bool {
	for _, c := range s {
		if c >= 0x80 || c == '\\' {
			return false
		}
	}
	return true
}

// appendCodePoint writes r as UTF-8, keeping lone surrogates as their
// 3-byte form (what Python's "surrogatepass" handler writes), so they
// survive a round trip through our encoder.
func appendCodePoint(out []byte, r rune) []byte {
	switch {
	case r < 0x80:
		return append(out, byte(r))
	case r < 0x800:
		return append(out, 0xc0|byte(r>>6), 0x80|byte(r&0x3f))
	case r < 0x10000:
		return append(out, 0xe0|byte(r>>12), 0x80|byte(r>>6&0x3f), 0x80|byte(r&0x3f))
	}
	return append(out, 0xf0|byte(r>>18), 0x80|byte(r>>12&0x3f), 0x80|byte(r>>6&0x3f), 0x80|byte(r&0x3f))
}

// checkUTF8 validates UTF-8 with surrogates allowed (CPython unpickles
// BINUNICODE with "surrogatepass") and returns CPython's error text.
func checkUTF8(b []byte) string {
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			i++
			continue
		}
		n, lo, hi := utf8Seq(c)
		if n == 0 {
			return utf8Error(b, i, i, "invalid start byte")
		}
		j := i + 1
		for ; j < i+n; j++ {
			if j >= len(b) {
				return utf8Error(b, i, j-1, "unexpected end of data")
			}
			l, h := byte(0x80), byte(0xbf)
			if j == i+1 {
				l, h = lo, hi
			}
			if b[j] < l || b[j] > h {
				return utf8Error(b, i, j-1, "invalid continuation byte")
			}
		}
		i = j
	}
	return ""
}

// utf8Seq returns the sequence length for lead byte c and the allowed
// range of the second byte.
func utf8Seq(c byte) (int, byte, byte) {
	switch {
	case c >= 0xc2 && c <= 0xdf:
		return 2, 0x80, 0xbf
	case c == 0xe0:
		return 3, 0xa0, 0xbf
	case c >= 0xe1 && c <= 0xef:
		return 3, 0x80, 0xbf
	case c == 0xf0:
		return 4, 0x90, 0xbf
	case c >= 0xf1 && c <= 0xf3:
		return 4, 0x80, 0xbf
	case c == 0xf4:
		return 4, 0x80, 0x8f
	}
	return 0, 0, 0
}

func utf8Error(b []byte, from, to int, reason string) string {
	if from == to {
		return fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: %s", b[from], from, reason)
	}
	return fmt.Sprintf("'utf-8' codec can't decode bytes in position %d-%d: %s", from, to, reason)
}

var opName8 = map[byte]string{opBinUnicode8: "BINUNICODE", opBinBytes8: "BINBYTES", opByteArray8: "BYTEARRAY8"}
