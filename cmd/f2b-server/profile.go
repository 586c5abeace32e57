package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
)

// profileEnv names a file that receives a CPU profile of the whole run
// when set (a hidden switch for performance work: `go tool pprof` it).
const profileEnv = "F2B_CPUPROFILE"

// startProfile starts the CPU profile asked for by profileEnv and returns
// the function that stops it; without the variable it does nothing.
func startProfile(log *slog.Logger) (stop func()) {
	path := os.Getenv(profileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		log.Error("cpu profile: " + err.Error())
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Error("cpu profile: " + err.Error())
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// memProfileEnv names a file that receives a heap profile of what is live
// when the server is asked to stop (every allocation sampled; a hidden
// switch for memory work: `go tool pprof -sample_index=inuse_space` it).
const memProfileEnv = "F2B_MEMPROFILE"

// init sets the sampling rate before the first allocation worth seeing
// (the configuration is read before the logger exists). Without a heap
// profile to write, sampling is off: the runtime would otherwise record a
// stack every 512 KiB allocated, and its bucket table (1.4 MiB of address
// space) stays partly resident in an idle server.
func init() {
	if os.Getenv(memProfileEnv) != "" {
		runtime.MemProfileRate = 1
	} else {
		runtime.MemProfileRate = 0
	}
}

// writeMemProfile writes the heap profile asked for by memProfileEnv, if
// any, after a collection so that it shows only what is live.
func writeMemProfile(log *slog.Logger) {
	path := os.Getenv(memProfileEnv)
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		log.Error("heap profile: " + err.Error())
		return
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		log.Error("heap profile: " + err.Error())
	}
}
