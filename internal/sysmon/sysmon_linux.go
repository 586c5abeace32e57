package sysmon

import (
	"errors"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// Demote gives the runtime's monitor thread the SCHED_BATCH policy. The
// monitor is the first thread the runtime creates (runtime.main starts
// it before anything else), so it is the second entry of
// /proc/self/task, which lists a process's threads in the order they
// were created. Lowering one's own thread to SCHED_BATCH needs no
// privilege.
func Demote() error {
	tid, err := monitorTID()
	if err != nil {
		return err
	}
	return unix.SchedSetAttr(tid, &unix.SchedAttr{Policy: unix.SCHED_BATCH}, 0)
}

// monitorTID is the id of the process's second thread.
func monitorTID() (int, error) {
	fd, err := unix.Open("/proc/self/task", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	var buf [4096]byte
	var names []string
	for len(names) < 2 {
		n, err := unix.Getdents(fd, buf[:])
		if err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, errors.New("sysmon: the process has a single thread")
		}
		_, _, names = syscall.ParseDirent(buf[:n], 2-len(names), names)
	}
	return strconv.Atoi(names[1])
}
