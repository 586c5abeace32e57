package client

import (
	"fmt"
	"net"
	"path/filepath"
	"testing"

	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// TestSend_BigReply: a status with hundreds of thousands of banned IPs is
// a legitimate reply and must decode (the request item cap is for
// untrusted input only).
func TestSend_BigReply(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "s")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	const n = 300_000
	ips := make([]any, n)
	for i := range ips {
		ips[i] = protocol.IPAddr(fmt.Sprintf("10.%d.%d.%d", i>>16, (i>>8)&255, i&255))
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		pc := protocol.NewConn(c, protocol.ConnOptions{})
		if _, err := pc.ReadRequest(); err == nil {
			pc.WriteResult(ips)
		}
	}()
	cl, err := Dial(t.Context(), Options{Socket: sock})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	v, err := cl.Send(t.Context(), []any{"get", "j", "banned"})
	if err != nil {
		t.Fatal(err)
	}
	l, ok := v.([]any)
	if !ok || len(l) != n || !pyval.Equal(l[n-1], "10.4.147.223") {
		t.Fatalf("got %T of len %d", v, len(l))
	}
}
