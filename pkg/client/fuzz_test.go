package client

import (
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/protocol"
)

// FuzzBeautify renders arbitrary reply values for arbitrary commands: it
// must never panic, and must fall back (with an error) rather than guess.
func FuzzBeautify(f *testing.F) {
	for _, tc := range beautifyCases {
		b, err := protocol.Encode(tc.value)
		if err != nil {
			f.Fatal(err)
		}
		words := make([]string, len(tc.in))
		for i, w := range tc.in {
			words[i] = w.(string)
		}
		f.Add(strings.Join(words, " "), b)
	}
	f.Fuzz(func(t *testing.T, line string, reply []byte) {
		v, err := protocol.DecodeReply(reply)
		if err != nil {
			return
		}
		out, err := Beautify(cmd(strings.Fields(line)...), v)
		if err != nil && out == "" {
			t.Fatalf("fallback without text for %q", line)
		}
	})
}
