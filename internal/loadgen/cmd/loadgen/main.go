// Command loadgen sends `set <jail> attempt` (or ping) requests to a
// fail2ban-compatible socket from many keep-alive clients and prints the
// throughput; scripts/bench/socket.sh runs it against f2b-server and the
// real fail2ban-server.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/f2b/f2b/internal/loadgen"
)

func main() {
	socket := flag.String("s", "/var/run/fail2ban/fail2ban.sock", "server socket")
	jail := flag.String("jail", "stress", "jail for attempt requests")
	clients := flag.Int("c", 1, "concurrent keep-alive clients")
	n := flag.Int("n", 10000, "requests per client")
	ping := flag.Bool("ping", false, "send ping instead of attempt")
	wait := flag.Duration("wait", 0, "first wait up to this long for `status <jail>` to answer")
	spin := flag.Duration("spin", 0, "poll for each reply this long before sleeping in the kernel (0: sleep at once)")
	cpuprofile := flag.String("cpuprofile", "", "write the client's CPU profile to this file")
	flag.Parse()
	ctx := context.Background()
	if *wait > 0 {
		wctx, cancel := context.WithTimeout(ctx, *wait)
		err := loadgen.Wait(wctx, *socket, []any{"status", *jail})
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: server not ready:", err)
			os.Exit(1)
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	cmd := loadgen.Attempt(*jail)
	if *ping {
		cmd = func(int, int) []any { return []any{"ping"} }
	}
	res, err := loadgen.Run(ctx, loadgen.Options{Socket: *socket, Clients: *clients, Requests: *n, Command: cmd, Spin: *spin})
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	// One machine-readable line: requests, seconds, requests per second.
	fmt.Printf("%d %.3f %.0f\n", res.Requests, res.Elapsed.Seconds(), res.PerSecond())
}
