package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// settleCycles is how many collections trimFootprint runs before returning
// the heap to the OS and dropping the file mappings. When the last start
// command returns, the jails' goroutines are still opening and reading
// their logs; a single collection (FreeOSMemory's own) runs alongside that
// work, so it leaves what they allocate meanwhile on the heap and the code
// they run next faults back in after the drop. Measured with ten stock
// jails: one collection leaves ~1 MiB more heap and ~2.5 MiB more
// file-backed pages than five; a collection costs about a millisecond.
const settleCycles = 4

// settleHeapLimit stops the settling collections early: on a heap this
// big (bans being restored from the database) each costs a full mark and
// the few hundred KiB they save do not matter.
const settleHeapLimit = 64 << 20

// startupGCPercent is the collector's GOGC while the configuration is read
// and applied. Nearly everything start-up allocates is garbage (the parsed
// tree, the command stream, regex compiler scratch) interleaved with what
// the jails keep; with the default 100 the heap grows to twice the live
// data between collections, and the spans the jails' objects end up in
// stay resident, mostly empty, for the life of the server. A tighter heap
// touches fewer pages in the first place (about 0.9 MiB less idle RSS with
// ten stock jails) for about a dozen more small collections, ~30 ms of
// CPU once.
const startupGCPercent = 50

// tightenGC lowers the GC percentage for start-up (never raising a lower
// one, nor turning on a collector GOGC=off disabled) and returns the
// function that restores the previous setting.
func tightenGC() (restore func()) {
	prev := debug.SetGCPercent(startupGCPercent)
	if prev < startupGCPercent {
		debug.SetGCPercent(prev)
	}
	return func() { debug.SetGCPercent(prev) }
}

// settleAfterStart waits for the end of start-up before the first trim.
// When the last start command returns, start-up is not over: the jails
// read their logs for the first time and run their actionstart commands,
// and a client that started the server polls it until every jail is up.
// A trim in the middle of that leaves what they allocate on the heap and
// the code they run (the socket and protocol code of one late status
// request alone: ~0.6 MiB) mapped again for the life of an idle server.
// Start-up is over when the process has used almost no CPU for a few
// polls in a row; a server that stays busy is trimmed after max anyway.
var settleAfterStart = settler{
	poll:  100 * time.Millisecond,
	quiet: 2 * time.Millisecond, // 2 % of one CPU
	polls: 3,
	max:   30 * time.Second,
	cpu:   processCPU,
}

// settler waits until a process is quiet: cpu has grown by less than
// quiet in each of polls consecutive polls.
type settler struct {
	poll, quiet, max time.Duration
	polls            int
	cpu              func() time.Duration
}

// wait returns true once the process is quiet or max has passed, false if
// ctx ended first.
func (s settler) wait(ctx context.Context) bool {
	tick := time.NewTicker(s.poll)
	defer tick.Stop()
	deadline := time.After(s.max)
	last, calm := s.cpu(), 0
	for calm < s.polls {
		select {
		case <-ctx.Done():
			return false
		case <-deadline:
			return true
		case <-tick.C:
		}
		now := s.cpu()
		if now-last < s.quiet {
			calm++
		} else {
			calm = 0
		}
		last = now
	}
	return true
}

// processCPU is the user and system CPU time of the process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0 // never quiet by this measure: the trim waits for max
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// trimWhenSettled trims the footprint once start-up has settled (see
// settleAfterStart), unless ctx ends first.
func trimWhenSettled(ctx context.Context, log *slog.Logger) {
	if settleAfterStart.wait(ctx) {
		trimFootprint(log)
	}
}

// trimMu serialises trims: the one after start-up runs in the background
// and a reload may trim at the same time.
var trimMu sync.Mutex

// trimFootprint runs once the configuration has been applied. Start-up
// (reading the whole config tree, compiling every filter and date
// template) leaves garbage on the heap and touches code that a running
// daemon rarely needs again; an idle server should not keep either
// resident. The heap's free pages go back to the OS, and the read-only
// file mappings (the executable's code and data, the C library's) are
// dropped: the pages the jails use come back on their first fault, which
// is what the kernel would do under memory pressure anyway, only earlier.
func trimFootprint(log *slog.Logger) {
	trimMu.Lock()
	defer trimMu.Unlock()
	for range settleCycles {
		runtime.GC()
		if liveHeap() > settleHeapLimit {
			break
		}
	}
	debug.FreeOSMemory()
	n, err := dropFileMappings()
	if err != nil {
		log.Debug("dropping start-up code", "err", err)
		return
	}
	log.Debug("dropped start-up code", "bytes", n)
}

// liveHeap is the heap marked live by the last collection.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// region is one mapping of /proc/self/smaps.
type region struct {
	start, end uint64
	writable   bool
	path       string
	rss, anon  uint64 // resident and private anonymous bytes
}

// droppable selects the mappings whose pages can be unmapped without
// losing anything, exe being this program's path: read-only mappings of
// files holding no private copies (the dynamic loader's relocated data
// lives in read-only mappings with anonymous pages, and must stay). own
// are those of the executable.
//
// A library is only considered once its writable data segment is mapped.
// One being loaded while the trim runs (the C resolver loads NSS modules
// at its first lookup) is first mapped as a whole with the protection of
// its first segment, then its other segments are mapped over that and its
// data relocated: a read-only mapping seen in the snapshot could hold
// relocated data by the time it is dropped. The data segment is mapped
// last, and relocation only writes to mappings that are writable at the
// time; the executable's own data was relocated before main ran.
func droppable(regions []region, exe string) (drop, own []region) {
	loaded := map[string]bool{}
	for _, r := range regions {
		if r.writable {
			loaded[r.path] = true
		}
	}
	for _, r := range regions {
		if r.writable || r.anon != 0 || !strings.HasPrefix(r.path, "/") {
			continue
		}
		switch {
		case r.isExe(exe):
			own = append(own, r)
		case !loaded[r.path]:
			continue
		}
		drop = append(drop, r)
	}
	return drop, own
}

// isExe reports whether r maps the executable at path exe (which
// os.Executable reports without the " (deleted)" smaps shows once the
// file has been replaced, e.g. by an upgrade).
func (r region) isExe(exe string) bool {
	return r.path == exe || r.path == exe+" (deleted)"
}

// parseSmaps reads /proc/PID/smaps text: a header line per mapping
// ("start-end perms offset dev inode path") followed by "Key: N kB"
// lines. Malformed headers are skipped with the lines that follow them:
// the kernel's format is fixed, and a mapping we cannot read is simply
// left alone.
func parseSmaps(data []byte) []region {
	var out []region
	var cur *region
	for line := range bytes.Lines(data) {
		f := bytes.Fields(line)
		if len(f) == 0 {
			continue
		}
		if key, ok := bytes.CutSuffix(f[0], []byte(":")); ok {
			if cur != nil && len(f) >= 2 {
				cur.setField(string(key), f[1:])
			}
			continue
		}
		cur = nil
		if r, ok := parseHeader(f); ok {
			out = append(out, r)
			cur = &out[len(out)-1]
		}
	}
	return out
}

// parseHeader parses the fields of a mapping's header line.
func parseHeader(f [][]byte) (region, bool) {
	if len(f) < 5 || len(f[1]) < 2 {
		return region{}, false
	}
	lo, hi, ok := bytes.Cut(f[0], []byte("-"))
	if !ok {
		return region{}, false
	}
	s, err1 := strconv.ParseUint(string(lo), 16, 64)
	e, err2 := strconv.ParseUint(string(hi), 16, 64)
	if err1 != nil || err2 != nil || e <= s {
		return region{}, false
	}
	return region{start: s, end: e, writable: f[1][1] == 'w', path: string(bytes.Join(f[5:], []byte(" ")))}, true
}

// setField records the smaps fields that droppable and the log need.
func (r *region) setField(key string, val [][]byte) {
	n, ok := kilobytes(val)
	switch key {
	case "Rss":
		r.rss = n
	case "Anonymous":
		if !ok {
			n = 1 // unreadable: count it as anonymous so the mapping is kept
		}
		r.anon = n
	}
}

// kilobytes parses an smaps value ("4 kB") into bytes.
func kilobytes(val [][]byte) (uint64, bool) {
	if len(val) < 2 || string(val[1]) != "kB" {
		return 0, false
	}
	n, err := strconv.ParseUint(string(val[0]), 10, 64)
	if err != nil || n > 1<<53 {
		return 0, false
	}
	return n << 10, true
}

// dropFileMappings unmaps the resident pages of every droppable mapping
// and returns how many bytes were resident in them.
func dropFileMappings() (uint64, error) {
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	drop, own := droppable(parseSmaps(smaps), exe)
	var total uint64
	for _, r := range drop {
		total += r.rss
	}
	return total, dropPages(drop, own)
}
