// Package sysmon quiets the Go runtime's system monitor for short,
// CPU-bound runs of the client.
//
// The runtime starts one monitor thread before any package is
// initialised. For the first ~50 rounds it sleeps 20µs at a time, and each
// time it wakes it preempts whichever of the process's threads holds the
// CPU: over a 10ms load of the stock tree on two cores that is ~60 extra
// pairs of context switches on the threads doing the work. Under
// SCHED_BATCH the kernel never lets a waking thread preempt a running
// one; the monitor then runs on an idle CPU or at the next scheduler
// tick, with its normal weight, so it is delayed, never starved.
package sysmon
