package jail

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestMain fails the run when a goroutine started by this package is
// still alive after every test finished (Run not returning after Stop or
// cancellation). Run tests also use synctest, which reports goroutines
// left blocked in their bubble.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if leaked := leakedGoroutines(); leaked != "" {
			fmt.Fprintf(os.Stderr, "leaked goroutines:\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

func leakedGoroutines() string {
	var leaked []string
	// Goroutines that are exiting may still be listed for a moment;
	// yield a bounded number of times instead of sleeping.
	for range 1000 {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		leaked = leaked[:0]
		for g := range strings.SplitSeq(string(buf), "\n\n") {
			if strings.Contains(g, "f2b/pkg/jail.(*Jail)") && !strings.Contains(g, "TestMain") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 {
			return ""
		}
		runtime.Gosched()
	}
	return strings.Join(leaked, "\n\n")
}

// TestStart_NoLeak starts and stops a jail on the real clock; TestMain
// then checks its goroutine is gone.
func TestStart_NoLeak(t *testing.T) {
	j := newTestJail(t, Options{Actions: &recorder{}})
	if err := j.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := j.Start(t.Context()); err != ErrRunning {
		t.Errorf("second Start = %v, want ErrRunning", err)
	}
	j.BanIP(t.Context(), "192.0.2.1")
	if err := j.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := j.Status(); st.CurrentlyBanned != 0 {
		t.Errorf("bans left after Stop: %v", st.BannedIPs)
	}
	if err := j.Stop(t.Context()); err != nil {
		t.Errorf("second Stop = %v", err)
	}
}
