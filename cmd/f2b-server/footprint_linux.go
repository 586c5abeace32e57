package main

import "golang.org/x/sys/unix"

// pageOut is madvise(MADV_PAGEOUT) (Linux 5.4+) on a mapping given by
// address, so no Go pointer is made from it.
func pageOut(addr, length uint64) error {
	_, _, e := unix.Syscall(unix.SYS_MADVISE, uintptr(addr), uintptr(length), unix.MADV_PAGEOUT)
	if e != 0 {
		return e
	}
	return nil
}
