package config

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

var reprCases = []any{
	"plain", "it's", `say "hi"`, `both ' and "`, "back\\slash", "multi\nline\tregex\r", "it's\n", "ünï", "\x00\x1f",
	"'\"\n", int64(-3), true, false, nil, []any{"set", "sshd", "addfailregex", "^a\n b$", int64(1)}, 1.5,
	// backslashes and newlines only (the IndexByte path), mixed, at the
	// ends, in runs; and one tab among them (the byte loop)
	`^\s*\d+\S`, "a\\b\nc\\\\d\n", "\\", "\n\n", "\\\n", "x\n\\\ty",
}

func TestAppendRepr_MatchesPyval(t *testing.T) {
	for _, v := range reprCases {
		t.Run(pyval.Repr(v), func(t *testing.T) {
			if got, want := string(appendRepr(nil, v)), pyval.Repr(v); got != want {
				t.Fatalf("appendRepr(%#v) = %s, want %s", v, got, want)
			}
		})
	}
}

func FuzzAppendRepr(f *testing.F) {
	for _, v := range reprCases {
		if s, ok := v.(string); ok {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendRepr(nil, s)), pyval.Repr(s); got != want {
			t.Fatalf("appendRepr(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestDump_LongStream: a stream long enough to be rendered in two halves
// (the second in chunks) prints exactly the lines of pyval.Repr, -d and
// --dp alike, on one core and on two.
func TestDump_LongStream(t *testing.T) {
	var stream [][]any
	var want strings.Builder
	for i := range 3 * dumpSplitMin {
		cmd := []any{"set", fmt.Sprint("jail", i), "addfailregex", strings.Repeat(`^x\d+ <HOST> it's "q"`+"\n", i%50), int64(i)}
		stream = append(stream, cmd)
		want.WriteString(pyval.Repr(cmd) + "\n")
	}
	for _, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		var got, pretty, wantPretty strings.Builder
		err := Dump(&got, stream, false)
		if err == nil {
			err = Dump(&pretty, stream, true)
		}
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("GOMAXPROCS=%d: -d output differs from pyval.Repr lines", procs)
		}
		for _, cmd := range stream {
			wantPretty.WriteString(pformat(cmd) + "\n")
		}
		if pretty.String() != wantPretty.String() {
			t.Fatalf("GOMAXPROCS=%d: --dp output differs from pformat lines", procs)
		}
	}
}
