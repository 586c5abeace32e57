package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// profileEnv names a file that receives a CPU profile of the whole run
// when set (a hidden switch for performance work, as in f2b-server).
const profileEnv = "F2B_CPUPROFILE"

// startProfile starts the CPU profile asked for by profileEnv and returns
// the function that stops it; without the variable it does nothing.
func startProfile(stderr io.Writer) (stop func()) {
	path := os.Getenv(profileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(stderr, "cpu profile:", err)
		if f != nil {
			f.Close()
		}
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
