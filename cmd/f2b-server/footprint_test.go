package main

import (
	"context"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"testing/synctest"
	"time"
)

func TestParseSmaps(t *testing.T) {
	const fields = "Size:                  8 kB\nRss:                   8 kB\nPss:                   8 kB\n" +
		"Anonymous:             0 kB\nVmFlags: rd mr mw me sd \n"
	tests := []struct {
		name string
		in   string
		want []region
	}{
		{name: "text rodata relro data anon",
			in: "00402000-008d0000 r-xp 00002000 08:01 42 /usr/bin/f2b-server\n" +
				"Size:               4888 kB\nRss:                4000 kB\nAnonymous:             0 kB\nVmFlags: rd ex mr mw me sd \n" +
				"00d80000-00d81000 r--p 0097f000 08:01 42 /usr/bin/f2b-server\n" +
				"Rss:                   4 kB\nAnonymous:             4 kB\n" +
				"00d81000-00dc2000 rw-p 00980000 08:01 42 /usr/bin/f2b-server\n" + fields +
				"7f3340b10000-7f3340c50000 rw-p 00000000 00:00 0\n" + fields +
				"7ffd3f9e1000-7ffd3f9e3000 r-xp 00000000 00:00 0                          [vdso]\n" + fields,
			want: []region{
				{start: 0x402000, end: 0x8d0000, path: "/usr/bin/f2b-server", rss: 4000 << 10},
				{start: 0xd80000, end: 0xd81000, path: "/usr/bin/f2b-server", rss: 4 << 10, anon: 4 << 10},
				{start: 0xd81000, end: 0xdc2000, writable: true, path: "/usr/bin/f2b-server", rss: 8 << 10},
				{start: 0x7f3340b10000, end: 0x7f3340c50000, writable: true, rss: 8 << 10},
				{start: 0x7ffd3f9e1000, end: 0x7ffd3f9e3000, path: "[vdso]", rss: 8 << 10},
			}},
		{name: "path with spaces", in: "1000-2000 r-xp 0 0:0 1 /usr/bin/f2b server\n",
			want: []region{{start: 0x1000, end: 0x2000, path: "/usr/bin/f2b server"}}},
		{name: "unreadable anonymous counts as some", in: "1000-2000 r-xp 0 0:0 1 /x\nAnonymous: lots\nRss: 4 MB\n",
			want: []region{{start: 0x1000, end: 0x2000, path: "/x", anon: 1}}},
		{name: "huge anonymous counts as some", in: "1000-2000 r-xp 0 0:0 1 /x\nAnonymous: 18014398509481984 kB\n",
			want: []region{{start: 0x1000, end: 0x2000, path: "/x", anon: 1}}},
		{name: "fields of a bad header are ignored",
			in:   "zz-2000 r-xp 0 0:0 1 /x\nAnonymous: 0 kB\n2000-1000 r-xp 0 0:0 1 /x\nRss: 4 kB\n",
			want: nil},
		{name: "fields before any header", in: "Rss: 4 kB\n1000-2000 r--p 0 0:0 1 /x\n",
			want: []region{{start: 0x1000, end: 0x2000, path: "/x"}}},
		{name: "short line", in: "1000-2000 r-xp\n", want: nil},
		{name: "empty", in: "", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseSmaps([]byte(tt.in))
			if len(got) != len(tt.want) {
				t.Fatalf("parseSmaps = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("region %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestDroppable(t *testing.T) {
	const exe = "/usr/bin/f2b-server"
	const lib = "/usr/lib/x86_64-linux-gnu/libc.so.6"
	const nss = "/usr/lib/x86_64-linux-gnu/libnss_myhostname.so.2"
	in := []region{
		{start: 0x1000, path: exe, rss: 4096},                // own headers and read-only data
		{start: 0x2000, path: exe},                           // own code
		{start: 0x3000, path: exe, anon: 4096},               // own relocated data
		{start: 0x4000, path: exe, writable: true},           // own data
		{start: 0x5000, path: exe + " (deleted)", rss: 4096}, // after an upgrade
		{start: 0x6000, path: lib},                           // library read-only data
		{start: 0x7000, path: lib},                           // library code
		{start: 0x8000, path: lib, anon: 4096},               // a breakpoint
		{start: 0x9000, path: lib, anon: 4096},               // relocated data
		{start: 0xa000, path: lib, writable: true},           // data
		{start: 0xb000, path: nss},                           // being loaded: no data yet
		{start: 0xc000, path: ""},                            // anonymous
		{start: 0xd000, path: "[vdso]"},
		{start: 0xe000, path: "[heap]"},
	}
	drop, own := droppable(in, exe)
	starts := func(rs []region) (out []uint64) {
		for _, r := range rs {
			out = append(out, r.start)
		}
		return out
	}
	if got, want := starts(drop), []uint64{0x1000, 0x2000, 0x5000, 0x6000, 0x7000}; !slices.Equal(got, want) {
		t.Errorf("dropped %#x, want %#x", got, want)
	}
	if got, want := starts(own), []uint64{0x1000, 0x2000, 0x5000}; !slices.Equal(got, want) {
		t.Errorf("own %#x, want %#x", got, want)
	}
}

// TestDropFileMappings drops the test binary's own read-only mappings:
// the call must find them, their resident size must fall, and the process
// must keep running (its code faults back in).
func TestDropFileMappings(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux-only")
	}
	before, err := exeResident()
	if err != nil {
		t.Skip("no /proc/self/smaps:", err)
	}
	n, err := dropFileMappings()
	if err != nil {
		t.Fatalf("dropFileMappings: %v", err)
	}
	if n < before {
		t.Errorf("dropped %d bytes, fewer than the %d resident in the executable", n, before)
	}
	after, err := exeResident()
	if err != nil {
		t.Fatal(err)
	}
	if after >= before {
		t.Errorf("executable resident: %d bytes before, %d after", before, after)
	}
	t.Logf("executable resident: %d KiB before, %d KiB after", before>>10, after>>10)
}

// exeResident sums the resident bytes of the executable's droppable
// mappings.
func exeResident() (uint64, error) {
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	var n uint64
	_, own := droppable(parseSmaps(data), exe)
	for _, r := range own {
		n += r.rss
	}
	return n, nil
}

func FuzzParseSmaps(f *testing.F) {
	for _, s := range []string{
		"00402000-008d0000 r-xp 00002000 08:01 42 /x\nRss: 4 kB\nAnonymous: 0 kB\n",
		"1000-2000 rw-p 0 0:0 1 /x\n0-0 r 0 0 0 /x",
		"ffffffffffffffff-1 r-xp 0 0:0 1 /x\n",
		"- - - - - /x",
		"1000-2000 r--p 0 0:0 1 /x\nAnonymous: 99999999999999999999 kB\nRss:\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range parseSmaps(data) {
			if r.end <= r.start {
				t.Errorf("bad region %+v", r)
			}
		}
	})
}

// TestLiveHeap: the metric trimFootprint stops on exists and follows what
// is kept alive.
func TestLiveHeap(t *testing.T) {
	keep := make([]byte, 8<<20)
	runtime.GC()
	if got := liveHeap(); got < 8<<20 {
		t.Errorf("liveHeap() = %d with 8 MiB kept alive", got)
	}
	runtime.KeepAlive(keep)
}

// TestSettlerWait checks when start-up counts as settled: after polls
// quiet polls in a row, after max at the latest, never once ctx ended.
func TestSettlerWait(t *testing.T) {
	const poll = 100 * time.Millisecond
	tests := []struct {
		name string
		use  []time.Duration // CPU used during each poll; the last repeats
		ctx  bool            // cancel the context at the start
		want bool
		took time.Duration
	}{
		{name: "idle from the start", use: []time.Duration{0}, want: true, took: 3 * poll},
		{name: "busy then idle", use: []time.Duration{50 * time.Millisecond, 20 * time.Millisecond, time.Millisecond, 0},
			want: true, took: 5 * poll},
		{name: "a busy poll restarts the count",
			use:  []time.Duration{0, 0, 5 * time.Millisecond, 0, 1 * time.Millisecond, 0},
			want: true, took: 6 * poll},
		{name: "just at the threshold is busy", use: []time.Duration{2 * time.Millisecond}, want: true, took: 2 * time.Second},
		{name: "always busy: max", use: []time.Duration{30 * time.Millisecond}, want: true, took: 2 * time.Second},
		{name: "cancelled", use: []time.Duration{30 * time.Millisecond}, ctx: true, want: false, took: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var cpu time.Duration
				polls := 0
				s := settler{poll: poll, quiet: 2 * time.Millisecond, polls: 3, max: 2 * time.Second,
					cpu: func() time.Duration {
						if polls > 0 {
							cpu += tt.use[min(polls-1, len(tt.use)-1)]
						}
						polls++
						return cpu
					}}
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if tt.ctx {
					cancel()
				}
				start := time.Now()
				if got := s.wait(ctx); got != tt.want {
					t.Errorf("wait = %v, want %v", got, tt.want)
				}
				if took := time.Since(start); took != tt.took {
					t.Errorf("took %v, want %v", took, tt.took)
				}
			})
		})
	}
}

// TestProcessCPU checks that the CPU clock moves with work done.
func TestProcessCPU(t *testing.T) {
	before, deadline := processCPU(), time.Now().Add(10*time.Second)
	for x := 0; processCPU()-before < 5*time.Millisecond; x++ {
		if time.Now().After(deadline) {
			t.Fatalf("processCPU stays at %v after 10 s of work", processCPU())
		}
		_ = strconv.Itoa(x)
	}
}
