package config

import (
	"bufio"
	"io"

	"github.com/f2b/f2b/pkg/pyval"
)

// Dump writes the stream as fail2ban-client -d (one Python repr per line)
// or, with pretty, as --dp (pprint with width 1000, indent 2).
func Dump(w io.Writer, stream [][]any, pretty bool) error {
	bw := bufio.NewWriter(w)
	for _, cmd := range stream {
		if pretty {
			bw.WriteString(pformat(cmd))
		} else {
			bw.WriteString(pyval.Repr(cmd))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
