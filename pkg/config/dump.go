package config

import (
	"bufio"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/f2b/f2b/pkg/pyval"
)

// Dump writes the stream as fail2ban-client -d (one Python repr per line)
// or, with pretty, as --dp (pprint with width 1000, indent 2).
func Dump(w io.Writer, stream [][]any, pretty bool) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	// A long stream's second half is rendered on another goroutine
	// meanwhile and written after the first: same bytes, less waiting.
	half := len(stream)
	var second [][]byte
	var wg sync.WaitGroup
	if len(stream) >= dumpSplitMin && runtime.GOMAXPROCS(0) > 1 {
		half = len(stream) / 2
		wg.Go(func() { second = renderChunks(stream[half:], pretty) })
	}
	var buf []byte
	for _, cmd := range stream[:half] {
		buf = appendLine(buf[:0], cmd, pretty)
		bw.Write(buf)
	}
	wg.Wait()
	for _, c := range second {
		bw.Write(c)
	}
	return bw.Flush()
}

// dumpSplitMin is the stream length from which Dump renders on two
// goroutines (the stock tree with every jail enabled has ~1200 lines).
const dumpSplitMin = 256

// dumpChunk is the size of the pieces renderChunks fills.
const dumpChunk = 32 << 10

// renderChunks renders cmds into pieces of about dumpChunk bytes: one
// growing buffer would be copied at each doubling and leave the smaller
// copies behind, twice the memory (and page faults) of the output.
func renderChunks(cmds [][]any, pretty bool) [][]byte {
	var out [][]byte
	cur := make([]byte, 0, dumpChunk)
	for _, cmd := range cmds {
		cur = appendLine(cur, cmd, pretty)
		if len(cur) >= dumpChunk-1<<10 {
			out = append(out, cur)
			cur = make([]byte, 0, dumpChunk)
		}
	}
	return append(out, cur)
}

func appendLine(b []byte, cmd []any, pretty bool) []byte {
	if pretty {
		b = append(b, pformat(cmd)...)
	} else {
		b = appendList(b, cmd) // not appendRepr: boxing cmd allocates
	}
	return append(b, '\n')
}

// appendList is appendRepr of a list.
func appendList(b []byte, x []any) []byte {
	b = append(b, '[')
	for i, e := range x {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendRepr(b, e)
	}
	return append(b, ']')
}

// appendRepr is pyval.Repr with a fast path for the values a stream is
// made of (lists, plain ASCII strings, ints, bools, None); anything else
// goes through pyval.Repr.
func appendRepr(b []byte, v any) []byte {
	switch x := v.(type) {
	case []any:
		return appendList(b, x)
	case string:
		if q, esc, ok := simpleQuote(x); ok {
			b = append(b, q)
			switch {
			case esc == 0:
				return append(append(b, x...), q)
			case esc&reprTabCR == 0:
				// only backslashes (regexes) and newlines (commands): the
				// runs between them are found with IndexByte
				return append(appendEscapedBN(b, x), q)
			}
			// copy the runs between escapes in one piece
			run := 0
			for i := 0; i < len(x); i++ {
				if esc := reprEscapes[x[i]]; esc != 0 {
					b = append(append(b, x[run:i]...), '\\', esc)
					run = i + 1
				}
			}
			return append(append(b, x[run:]...), q)
		}
	case int64:
		return strconv.AppendInt(b, x, 10)
	case bool:
		if x {
			return append(b, "True"...)
		}
		return append(b, "False"...)
	case nil:
		return append(b, "None"...)
	}
	return append(b, pyval.Repr(v)...)
}

// appendEscapedBN appends s with its backslashes and newlines escaped (it
// holds no other byte repr escapes), jumping from one to the next.
func appendEscapedBN(b []byte, s string) []byte {
	// next positions of each, from the start of s; len(s) when none
	nextB, nextN := indexOrLen(s, 0, '\\'), indexOrLen(s, 0, '\n')
	run := 0
	for {
		i := min(nextB, nextN)
		if i == len(s) {
			return append(b, s[run:]...)
		}
		b = append(append(b, s[run:i]...), '\\', reprEscapes[s[i]])
		run = i + 1
		if i == nextB {
			nextB = indexOrLen(s, run, '\\')
		} else {
			nextN = indexOrLen(s, run, '\n')
		}
	}
}

// indexOrLen is the position of the first c in s from from on, len(s)
// when there is none.
func indexOrLen(s string, from int, c byte) int {
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return len(s)
}

// simpleQuote reports the quote Python's repr uses for s when s is
// printable ASCII plus \n, \t and \r (multi-line regexes and commands),
// needing no escapes other than those and backslashes; esc holds the
// reprEscape and reprTabCR bits of the escapes it needs (most values need
// none and are copied whole).
func simpleQuote(s string) (q byte, esc byte, ok bool) {
	var seen byte
	i := 0
	for ; i+4 <= len(s); i += 4 { // four at a time: half the loop's cost
		t := s[i : i+4]
		seen |= reprClass[t[0]] | reprClass[t[1]] | reprClass[t[2]] | reprClass[t[3]]
	}
	for ; i < len(s); i++ {
		seen |= reprClass[s[i]]
	}
	esc = seen & (reprEscape | reprTabCR)
	switch {
	case seen&reprOther != 0:
		return 0, 0, false
	case seen&reprSingle == 0:
		return '\'', esc, true
	case seen&reprDouble == 0:
		return '"', esc, true
	}
	return 0, 0, false
}

// reprClass sorts bytes for simpleQuote: one table look-up per byte
// instead of a chain of comparisons (repr is most of Dump's time).
var reprClass = func() (t [256]byte) {
	for c := range t {
		switch {
		case c == '\n' || c == '\\':
			t[c] = reprEscape
		case c == '\t' || c == '\r':
			t[c] = reprEscape | reprTabCR
		case c < 0x20 || c > 0x7e:
			t[c] = reprOther
		case c == '\'':
			t[c] = reprSingle
		case c == '"':
			t[c] = reprDouble
		}
	}
	return t
}()

// reprEscapes is the letter after the backslash for the bytes a simple
// string's repr escapes.
var reprEscapes = [256]byte{'\n': 'n', '\t': 't', '\r': 'r', '\\': '\\'}

const (
	reprOther byte = 1 << iota
	reprSingle
	reprDouble
	reprEscape
	reprTabCR // a tab or carriage return (with reprEscape)
)
