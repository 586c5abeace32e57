package config

import (
	"reflect"
	"testing"
)

// argsFastCases are option lists (inside the brackets) the fast path must
// either decline or parse exactly like the regexp2 grammar.
var argsFastCases = []string{
	`name=sshd, port="ssh", protocol="tcp", chain="INPUT"`,
	`mode=aggressive, foo="a,b"`, `a=1,`, `a=1, `, `a=1,,b=2`, `,a=1`, `a= spaced value , d=`,
	`a==1`, `a=1 b=2`, ` a = 1 `, `a="x" , b=1`, `a="x"y`, `a=x"y`, `a=""`, `a=" q "`, `a="`,
	`a=1, a=2`, `a.b-c_d=3`, `a=1,	b=2`, `=1`, `a`, `a=1,b`, `name=x, blocktype="REJECT --reject-with icmp-port-unreachable"`,
}

func TestArgsFast_MatchesGrammar(t *testing.T) {
	fast := 0
	for _, in := range argsFastCases {
		t.Run(in, func(t *testing.T) {
			if checkArgsFast(t, in) {
				fast++
			}
		})
	}
	if fast < 10 {
		t.Errorf("fast path took only %d of %d cases", fast, len(argsFastCases))
	}
}

// checkArgsFast compares both paths on opts; it reports whether the fast
// path accepted the input.
func checkArgsFast(t *testing.T, opts string) bool {
	t.Helper()
	got, ok := argsFast(opts)
	if !ok {
		return false
	}
	want, err := argsSlow(opts)
	if err != nil {
		t.Fatalf("argsFast(%q) = %v, but the grammar rejects it: %v", opts, got, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("argsFast(%q) = %#v, want %#v", opts, got, want)
	}
	return true
}

func FuzzArgsFast(f *testing.F) {
	for _, s := range argsFastCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkArgsFast(t, s) })
}
