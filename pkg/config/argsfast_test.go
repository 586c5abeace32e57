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
	`port="53", protocol="tcp", chain="<known/chain>"][name=nsd-tcp, protocol="tcp"`, `a=1] [b=2`, `a=1][b=2`, `a="1"][b=2`,
	`a=1]`, `a=1][`, `a=1] `, `a=1]x[b=2`, `a=[1]`, `a="[1]"`, `a=1][,b=2`, `a=1][][b=2`, `a="x"]`, `a=1]	[b=2`,
	"a=1,\nb=2", "a=1,\n   b=\"x\"", "a=1\n,b=2", "a=\"x\ny\"", "a=1][\nb=2", "a=1]\n[b=2", "\na=1", "a=1,\n",
	"a=1 \n, b=2", "blocktype=RETURN, returntype=DROP,\n                       actionstart_on_demand=false, actionrepair_on_unban=true",
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

// splitActionsFastCases are action values the fast splitter must either
// decline or split exactly like argSplitRE.
var splitActionsFastCases = []string{
	`iptables-multiport[port="ssh", protocol="tcp", chain="<known/chain>"]`,
	"iptables-multiport[port=\"53\", protocol=\"tcp\"][name=nsd-tcp, protocol=\"tcp\"]\niptables-multiport[port=\"53\"][name=nsd-udp, protocol=\"udp\"]",
	"a\nb[x=1]", "a[]", "a[x=1,]", "a[x=1 y=2]", `a[x="1"y=2]`, `a[x="1" , y=2]`, "a[x=1] [y=2]", "a[x=1]\n [y=2]",
	"a[x=1]\n\nb", "a[x=1]\n", " a", "a ", "a b", "a[x=1", "a[x=1]]", "a[x=1]b", `a[x="]"]`, `a[x="[", y=']']`,
	"a[ x = 1 ]", "a[=1]", "a[x]", "a[x=1,,y=2]", "a[x=1]\tb", "a[x=\"1\"]\r\nb", "[x=1]", "a]b", `a"b`, "é[x=1]",
	"sendmail-whois[name=SSH, dest=\"a@b\"]  other",
	// stock pass2allow-ftp: options go on on the next line
	"iptables-multiport[port=\"ftp,ftp-data,ftps,ftps-data\", protocol=\"tcp\", chain=\"<known/chain>\"][blocktype=RETURN, returntype=DROP,\nactionstart_on_demand=false, actionrepair_on_unban=true]",
	"a[x=1,\n  y=2]", "a[x=1,\n]", "a[x=1,\n\ny=2]", "a[x=1\n,y=2]", "a[x=\"1\n\"]", "a[x=1,\n y=2]\nb", "a[x=1,\n y=2] \nb",
	"a\n", "a[x=1]\n[y=2]", "a[x=1,\n y=2][z=3,\nw=4]\nb[c=d]", "a[\nx=1]", "a[x=1]\n\n",
	"a[][x=1, ]", "a[][x=, ]", "a[ ][x=1]", "a[x=1][][y=2, ]", "a[x=1][]", "a[]", "a[x=00 ,][]", "a[x=1,][y=2]", "a[x=1 ][y=2, ]",
}

func TestSplitActionsFast_MatchesGrammar(t *testing.T) {
	fast := 0
	for _, in := range splitActionsFastCases {
		t.Run(in, func(t *testing.T) {
			if checkSplitActionsFast(t, in) {
				fast++
			}
		})
	}
	if fast < 8 {
		t.Errorf("fast path took only %d of %d cases", fast, len(splitActionsFastCases))
	}
}

// checkSplitActionsFast compares splitActionsFast with argSplitRE on s; it
// reports whether the fast path accepted the input.
func checkSplitActionsFast(t *testing.T, s string) bool {
	t.Helper()
	got, ok := splitActionsFast(s)
	if !ok {
		return false
	}
	var want []string
	m, err := argSplitRE().FindStringMatch(s)
	for ; m != nil && err == nil; m, err = argSplitRE().FindNextMatch(m) {
		want = append(want, m.String())
	}
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("splitActionsFast(%q) = %q, want %q", s, got, want)
	}
	return true
}

func FuzzSplitActionsFast(f *testing.F) {
	for _, s := range splitActionsFastCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkSplitActionsFast(t, s) })
}
