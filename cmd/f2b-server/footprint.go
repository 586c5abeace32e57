package main

import (
	"bytes"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
)

// trimFootprint runs once the configuration has been applied. Start-up
// (reading the whole config tree, compiling every filter and date
// template) leaves garbage on the heap and touches code that a running
// daemon rarely needs again; an idle server should not keep either
// resident. The heap's free pages go back to the OS, and the read-only
// mappings of the executable are paged out: they stay in the page cache
// and the pages the jails use come back on their first fault, which is
// what the kernel would do under memory pressure anyway, only earlier.
func trimFootprint(log *slog.Logger) {
	debug.FreeOSMemory()
	n, err := pageOutExecutable()
	if err != nil {
		log.Debug("paging out start-up code", "err", err)
		return
	}
	log.Debug("paged out start-up code", "bytes", n)
}

// region is one mapping of /proc/self/maps.
type region struct {
	start, end uint64
	writable   bool
	path       string
}

// parseMaps reads /proc/PID/maps text ("start-end perms offset dev inode
// path") and returns the mappings of path. Malformed lines are skipped:
// the kernel's format is fixed, and a mapping we cannot read is simply not
// paged out.
func parseMaps(data []byte, path string) []region {
	var out []region
	for line := range bytes.Lines(data) {
		f := bytes.Fields(line)
		if len(f) < 6 || len(f[1]) < 2 || string(bytes.Join(f[5:], []byte(" "))) != path {
			continue
		}
		lo, hi, ok := bytes.Cut(f[0], []byte("-"))
		if !ok {
			continue
		}
		s, err1 := strconv.ParseUint(string(lo), 16, 64)
		e, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || e <= s {
			continue
		}
		out = append(out, region{start: s, end: e, writable: f[1][1] == 'w', path: path})
	}
	return out
}

// pageOutExecutable pages out the executable's read-only mappings (text
// and read-only data) and returns how many bytes they span.
func pageOutExecutable() (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	total := 0
	for _, r := range parseMaps(maps, exe) {
		if r.writable {
			continue // writable pages may be dirty; paging them out means swap
		}
		if err := pageOut(r.start, r.end-r.start); err != nil {
			return total, err
		}
		total += int(r.end - r.start)
	}
	return total, nil
}
