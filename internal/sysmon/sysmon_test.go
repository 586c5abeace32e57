//go:build linux

package sysmon

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestDemote checks that the thread Demote picks is the runtime's monitor
// (the only thread of the process that sleeps in nanosleep again and
// again) and that it ends up under SCHED_BATCH.
func TestDemote(t *testing.T) {
	tid, err := monitorTID()
	if err != nil {
		t.Fatal(err)
	}
	if tid == os.Getpid() {
		t.Fatalf("picked the main thread %d", tid)
	}
	// The monitor sleeps 20µs at a time (up to 10ms once idle): sampled a
	// few hundred times, it is caught in nanosleep (syscall 35 on amd64,
	// 101 on arm64) or clock_nanosleep. A goroutine keeps a P busy
	// meanwhile: with every P idle the monitor waits on a futex instead.
	var done atomic.Bool
	defer done.Store(true)
	go func() {
		for !done.Load() {
			runtime.Gosched()
		}
	}()
	sleeping := 0
	for range 300 {
		b, err := os.ReadFile("/proc/self/task/" + strconv.Itoa(tid) + "/syscall")
		if err != nil {
			t.Fatal(err)
		}
		nr, _, _ := strings.Cut(string(b), " ")
		if nr == strconv.Itoa(unix.SYS_NANOSLEEP) || nr == strconv.Itoa(unix.SYS_CLOCK_NANOSLEEP) {
			sleeping++
		}
		time.Sleep(100 * time.Microsecond)
	}
	if sleeping == 0 {
		t.Fatalf("thread %d was never seen in nanosleep: not the monitor", tid)
	}
	if err := Demote(); err != nil {
		t.Fatal(err)
	}
	attr, err := unix.SchedGetAttr(tid, 0)
	if err != nil {
		t.Fatal(err)
	}
	if attr.Policy != unix.SCHED_BATCH {
		t.Fatalf("policy of thread %d = %d, want SCHED_BATCH (%d)", tid, attr.Policy, unix.SCHED_BATCH)
	}
	if self, _ := unix.SchedGetAttr(0, 0); self != nil && self.Policy == unix.SCHED_BATCH && unix.Gettid() != tid {
		t.Fatal("the calling thread was demoted too")
	}
}
