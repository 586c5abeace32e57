package backend

import (
	"os"
	"strings"
	"unicode/utf8"
)

// Decoder turns the raw bytes of one line into text, replacing undecodable
// bytes with U+FFFD the way Python's bytes.decode(enc, "replace") does.
type Decoder func([]byte) string

// UnknownEncodingError reports an encoding name Python's codecs module would
// not know either. Its message is Python's LookupError text, which the socket
// sends back to the client.
type UnknownEncodingError struct {
	Name string
}

func (e *UnknownEncodingError) Error() string { return "unknown encoding: " + e.Name }

// codecs maps Python's normalised codec names and aliases to a decoder.
var codecs = map[string]Decoder{
	"utf_8": decodeUTF8, "utf8": decodeUTF8, "u8": decodeUTF8, "utf": decodeUTF8,
	"utf8_ucs2": decodeUTF8, "utf8_ucs4": decodeUTF8, "cp65001": decodeUTF8,
	"latin_1": decodeLatin1, "latin1": decodeLatin1, "latin": decodeLatin1, "l1": decodeLatin1,
	"iso8859_1": decodeLatin1, "iso_8859_1": decodeLatin1, "8859": decodeLatin1,
	"cp819": decodeLatin1, "iso_ir_100": decodeLatin1, "iso_8859_1:1987": decodeLatin1,
	"ascii": decodeASCII, "us_ascii": decodeASCII, "646": decodeASCII, "us": decodeASCII,
	"ansi_x3.4_1968": decodeASCII, "ansi_x3_4_1968": decodeASCII, "iso646_us": decodeASCII,
	"cp367": decodeASCII, "csascii": decodeASCII, "ibm367": decodeASCII, "iso_ir_6": decodeASCII,
}

// normEncoding lower-cases a codec name and turns '-' and ' ' into '_', as
// Python's encodings.normalize_encoding and the alias lookup do.
func normEncoding(name string) string {
	return strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(name)))
}

// ResolveEncoding returns the name fail2ban reports for a logencoding value:
// "auto" becomes the locale's preferred encoding (as Python in UTF-8 mode
// reports it, "UTF-8" unless the locale names another supported charset);
// any other known name is returned unchanged.
func ResolveEncoding(name string) (string, error) {
	if strings.EqualFold(strings.TrimSpace(name), "auto") {
		return localeEncoding(), nil
	}
	if _, ok := codecs[normEncoding(name)]; !ok {
		return "", &UnknownEncodingError{Name: name}
	}
	return name, nil
}

// NewDecoder returns the decoder for a logencoding value ("auto" included).
func NewDecoder(name string) (Decoder, error) {
	resolved, err := ResolveEncoding(name)
	if err != nil {
		return nil, err
	}
	return codecs[normEncoding(resolved)], nil
}

// localeEncoding reads the charset from LC_ALL, LC_CTYPE or LANG. Python 3.7+
// coerces the C/POSIX locale to UTF-8, so anything unknown is UTF-8 too.
func localeEncoding() string {
	for _, key := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		v := os.Getenv(key)
		if v == "" {
			continue
		}
		if i := strings.IndexByte(v, '.'); i >= 0 {
			cs := v[i+1:]
			if j := strings.IndexByte(cs, '@'); j >= 0 {
				cs = cs[:j]
			}
			if _, ok := codecs[normEncoding(cs)]; ok && normEncoding(cs) != "utf_8" && normEncoding(cs) != "utf8" {
				return cs
			}
		}
		break
	}
	return "UTF-8"
}

func decodeLatin1(b []byte) string {
	if isASCII(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func decodeASCII(b []byte) string {
	if isASCII(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for _, c := range b {
		if c < utf8.RuneSelf {
			sb.WriteByte(c)
		} else {
			sb.WriteRune(utf8.RuneError)
		}
	}
	return sb.String()
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// decodeUTF8 replaces each maximal ill-formed subpart with one U+FFFD, which
// is what CPython's UTF-8 decoder does with errors="replace" (Go's own
// conversion would use one replacement per byte).
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r != utf8.RuneError || n > 1 {
			sb.Write(b[:n])
			b = b[n:]
			continue
		}
		n = illFormedLen(b)
		sb.WriteRune(utf8.RuneError)
		b = b[n:]
	}
	return sb.String()
}

// illFormedLen is the length of the maximal subpart of an ill-formed UTF-8
// sequence starting at b[0] (Unicode 3.9, table 3-7): the lead byte plus the
// continuation bytes that could still have started a valid sequence.
func illFormedLen(b []byte) int {
	lo, hi, need := leadRange(b[0])
	n := 1
	for i := 1; i <= need && i < len(b); i++ {
		c := b[i]
		if i > 1 {
			lo, hi = 0x80, 0xBF
		}
		if c < lo || c > hi {
			break
		}
		n++
	}
	return n
}

// leadRange gives the allowed range of the second byte and the number of
// continuation bytes for a lead byte; need is 0 for bytes that cannot start
// a sequence.
func leadRange(c byte) (lo, hi byte, need int) {
	switch {
	case c >= 0xC2 && c <= 0xDF:
		return 0x80, 0xBF, 1
	case c == 0xE0:
		return 0xA0, 0xBF, 2
	case c == 0xED:
		return 0x80, 0x9F, 2
	case c >= 0xE1 && c <= 0xEF:
		return 0x80, 0xBF, 2
	case c == 0xF0:
		return 0x90, 0xBF, 3
	case c >= 0xF1 && c <= 0xF3:
		return 0x80, 0xBF, 3
	case c == 0xF4:
		return 0x80, 0x8F, 3
	}
	return 0, 0, 0
}
