package main

import (
	"log/slog"
	"os"
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
