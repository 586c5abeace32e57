package main

import (
	"os"
	"runtime"
	"testing"
)

func TestParseMaps(t *testing.T) {
	const exe = "/usr/bin/f2b-server"
	tests := []struct {
		name string
		in   string
		want []region
	}{
		{name: "text rodata data",
			in: "00400000-00402000 r--p 00000000 08:01 42 /usr/bin/f2b-server\n" +
				"00402000-008d0000 r-xp 00002000 08:01 42 /usr/bin/f2b-server\n" +
				"00d4b000-00d8b000 rw-p 0094a000 08:01 42 /usr/bin/f2b-server\n" +
				"7f33898e3000-7f3389a39000 r-xp 00028000 08:01 7 /usr/lib/x86_64-linux-gnu/libc.so.6\n" +
				"7f3340b10000-7f3340c50000 rw-p 00000000 00:00 0\n",
			want: []region{
				{start: 0x400000, end: 0x402000, path: exe},
				{start: 0x402000, end: 0x8d0000, path: exe},
				{start: 0xd4b000, end: 0xd8b000, writable: true, path: exe},
			}},
		{name: "path with spaces", in: "1000-2000 r-xp 0 0:0 1 /usr/bin/f2b server\n", want: nil},
		{name: "deleted binary", in: "1000-2000 r-xp 0 0:0 1 /usr/bin/f2b-server (deleted)\n", want: nil},
		{name: "bad range", in: "zz-2000 r-xp 0 0:0 1 /usr/bin/f2b-server\n2000-1000 r-xp 0 0:0 1 /usr/bin/f2b-server\n", want: nil},
		{name: "short line", in: "1000-2000 r-xp\n", want: nil},
		{name: "empty", in: "", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseMaps([]byte(tt.in), exe)
			if len(got) != len(tt.want) {
				t.Fatalf("parseMaps = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("region %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestPageOutExecutable pages out the test binary's own read-only
// mappings: the call must find them and the process must keep running
// (its code faults back in).
func TestPageOutExecutable(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("MADV_PAGEOUT is Linux-only")
	}
	if _, err := os.Stat("/proc/self/maps"); err != nil {
		t.Skip("no /proc/self/maps:", err)
	}
	n, err := pageOutExecutable()
	if err != nil {
		t.Fatalf("pageOutExecutable: %v", err)
	}
	if n < 1<<20 {
		t.Errorf("paged out %d bytes, want at least the test binary's text (1 MiB)", n)
	}
}

func FuzzParseMaps(f *testing.F) {
	for _, s := range []string{
		"00402000-008d0000 r-xp 00002000 08:01 42 /x\n",
		"1000-2000 rw-p 0 0:0 1 /x\n0-0 r 0 0 0 /x",
		"ffffffffffffffff-1 r-xp 0 0:0 1 /x\n",
		"- - - - - /x",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range parseMaps(data, "/x") {
			if r.end <= r.start || r.path != "/x" {
				t.Errorf("bad region %+v", r)
			}
		}
	})
}
