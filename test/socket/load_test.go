package socket

import (
	"testing"

	"github.com/f2b/f2b/internal/loadgen"
	"github.com/f2b/f2b/pkg/pyval"
)

// TestLoad_NoAttemptLost: 100 keep-alive clients each send 1,000
// `set stress attempt <ip> <msg>` (one address per client, maxretry far
// above 1,000): every request succeeds and the jail counts every one.
func TestLoad_NoAttemptLost(t *testing.T) {
	const clients, perClient = 100, 1000
	e := newEnv(t)
	p := e.start()
	res, err := loadgen.Run(t.Context(), loadgen.Options{
		Socket:   e.sock,
		Clients:  clients,
		Requests: perClient,
		Command:  loadgen.Attempt(jailName),
		Check: func(reply any) error {
			if got := pyval.Repr(reply); got != ok(int64(1)) {
				return &replyError{got: got}
			}
			return nil
		},
	})
	if err != nil {
		t.Fatalf("after %d requests: %v", res.Requests, err)
	}
	if res.Requests != clients*perClient {
		t.Fatalf("%d requests answered, want %d", res.Requests, clients*perClient)
	}
	t.Logf("%d clients × %d attempts in %v: %.0f requests/s", clients, perClient, res.Elapsed, res.PerSecond())
	st := e.jailStatus()
	if got := st["Total failed"]; got != int64(clients*perClient) {
		t.Errorf("Total failed = %v, want %d", got, clients*perClient)
	}
	if got := st["Currently failed"]; got != int64(clients) {
		t.Errorf("Currently failed = %v, want %d (one address per client)", got, clients)
	}
	if got := st["Total banned"]; got != int64(0) {
		t.Errorf("Total banned = %v, want 0 (maxretry is far above %d)", got, perClient)
	}
	if rss := p.rssKiB(t); rss > rssBoundKiB {
		t.Errorf("server RSS %d KiB after the load run", rss)
	}
}

type replyError struct{ got string }

func (e *replyError) Error() string { return "reply " + e.got + ", want (0, 1)" }
