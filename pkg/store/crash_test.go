package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const crashEnv = "F2B_STORE_CRASH_CHILD"

func crashIP(i int) string { return fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255) }

// crashChild queues bans and, after each Flush, prints "durable N": every
// ban below N was queued before the barrier and so is committed. It runs until its parent kills it.
func crashChild(path string) {
	opts := DefaultOptions(path)
	opts.QueueSize = 256 // short queue: each barrier waits for few bans
	st, err := Open(context.Background(), opts)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	ctx := context.Background()
	if err := st.AddJail(ctx, "sshd"); err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	// The producer keeps queueing while the flusher reports, so the kill
	// lands while transactions are in flight.
	var queued atomic.Int64
	go func() {
		for i := 0; i < 1<<22; i++ {
			st.AddBan(Ban{Jail: "sshd", IP: crashIP(i), Time: time.Unix(testNow, 0), BanTime: Permanent, BanCount: 1,
				Data: Data{Matches: []Match{{"line " + strconv.Itoa(i)}}, Failures: 1}})
			queued.Store(int64(i + 1))
		}
	}()
	for range 1 << 20 {
		n := queued.Load()
		if err := st.Flush(ctx); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Printf("durable %d\n", n)
	}
	os.Exit(3)
}

// TestStore_CrashSafety kills a writer process with SIGKILL in the middle
// of a stream of bans and checks that every ban reported durable is there
// and the file is intact.
func TestStore_CrashSafety(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestStore_CrashSafety$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once 5 barriers have passed with progress and a few thousand
	// bans are durable.
	durable, reports := 0, 0
	sc := bufio.NewScanner(stdout)
	for (reports < 5 || durable < 1000) && sc.Scan() {
		f := strings.Fields(sc.Text())
		if n, err := strconv.Atoi(f[len(f)-1]); f[0] == "durable" && err == nil && n > durable {
			durable = n
			reports++
		} else if f[0] == "error" {
			t.Fatalf("child: %s", sc.Text())
		}
	}
	cmd.Process.Kill() // SIGKILL, mid-stream
	cmd.Wait()
	if reports < 5 {
		t.Fatalf("child stopped after %d reports", reports)
	}
	st := openAt(t, path, testNow)
	defer st.Close()
	var check string
	if err := st.rdb.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	onDisk := map[string]bool{}
	for _, b := range mustCurrent(t, st) {
		onDisk[b.IP] = true
	}
	n, missing := len(onDisk), 0
	for i := range durable {
		if !onDisk[crashIP(i)] {
			missing++
		}
	}
	if missing > 0 || n < durable {
		t.Errorf("%d of %d durable bans missing after kill -9 (%d rows)", missing, durable, n)
	}
	t.Logf("killed after %d durable bans; %d rows on disk", durable, n)
}

func mustCurrent(t *testing.T, st *Store) []Ban {
	t.Helper()
	bans, err := st.CurrentBans(context.Background(), CurrentQuery{Jail: "sshd"})
	if err != nil {
		t.Fatal(err)
	}
	return bans
}
