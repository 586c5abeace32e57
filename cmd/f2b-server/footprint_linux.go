package main

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// dropPages unmaps the pages of the read-only file mappings in all and
// evicts the page cache of own (the executable's), so that what the idle
// server touches again comes back one page at a time.
//
// Unmapping alone is not enough: the page cache holds the executable in
// large folios (up to 2 MiB, as written by the linker or installer), and
// a fault maps the whole folio around the page it needs, so a few timers
// and a GC would bring most of the binary back. Hence:
//
//  1. MADV_NOHUGEPAGE and MADV_RANDOM: no huge-page mapping, and a fault
//     reads the one page it needs instead of a readahead window;
//  2. MADV_DONTNEED: unmap. These mappings are read-only and hold no
//     private copies (see droppable), so the contents come back from the
//     file unchanged;
//  3. POSIX_FADV_DONTNEED on the executable: drop the folios nobody maps
//     now, so that refaults read single pages;
//  4. MADV_PAGEOUT on the executable: the folios this very code ran from
//     were mapped again between 2 and 3; evict those too.
//
// The C library's page cache is shared with every process and is left
// alone; only this process's mappings of it are dropped.
func dropPages(all, own []region) error {
	var errs []error
	for _, r := range all {
		// Hints only: a kernel without them still unmaps below.
		madvise(r, unix.MADV_NOHUGEPAGE)
		madvise(r, unix.MADV_RANDOM)
		if err := madvise(r, unix.MADV_DONTNEED); err != nil {
			errs = append(errs, err)
		}
	}
	if f, err := os.Open("/proc/self/exe"); err == nil {
		errs = append(errs, unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED))
		f.Close()
	} else {
		errs = append(errs, err)
	}
	for _, r := range own {
		madvise(r, unix.MADV_PAGEOUT) // Linux 5.4+; best effort
	}
	return errors.Join(errs...)
}

// madvise advises on a mapping given by address, so no Go pointer is made
// from it.
func madvise(r region, advice int) error {
	_, _, e := unix.Syscall(unix.SYS_MADVISE, uintptr(r.start), uintptr(r.end-r.start), uintptr(advice))
	if e != 0 {
		return e
	}
	return nil
}
