package main

import (
	"bytes"
	"fmt"
	"time"
)

// authLog returns n deterministic auth.log lines, in write-sized chunks,
// and how many of them the stock sshd filter counts as failures. Every
// line has its own sshd pid, so no multi-line rule joins lines, and the
// benign lines come from addresses that never fail.
func authLog(n int, now time.Time) ([][]byte, int) {
	stamp := now.Format(time.Stamp)
	var chunks [][]byte
	var b bytes.Buffer
	fails := 0
	for i := range n {
		bad := fmt.Sprintf("%s.%d", [...]string{"198.51.100", "203.0.113"}[i%2], i/2%250+1)
		good := fmt.Sprintf("192.0.2.%d", i%250+1)
		pid := 10000 + i
		switch i % 10 {
		case 0, 5:
			fmt.Fprintf(&b, "%s web1 sshd[%d]: Failed password for root from %s port %d ssh2\n", stamp, pid, bad, 30000+i%30000)
		case 2:
			fmt.Fprintf(&b, "%s web1 sshd[%d]: Failed password for invalid user admin%d from %s port %d ssh2\n", stamp, pid, i%97, bad, 30000+i%30000)
		case 7:
			fmt.Fprintf(&b, "%s web1 sshd[%d]: Invalid user oracle%d from %s port %d\n", stamp, pid, i%89, bad, 30000+i%30000)
		case 1:
			fmt.Fprintf(&b, "%s web1 sshd[%d]: Accepted publickey for deploy from %s port %d ssh2: ED25519 SHA256:Zm9vYmFy\n", stamp, pid, good, 30000+i%30000)
		case 3:
			fmt.Fprintf(&b, "%s web1 sshd[%d]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)\n", stamp, pid)
		case 4:
			fmt.Fprintf(&b, "%s web1 CRON[%d]: pam_unix(cron:session): session closed for user root\n", stamp, pid)
		case 6:
			fmt.Fprintf(&b, "%s web1 sshd[%d]: Received disconnect from %s port %d:11: disconnected by user\n", stamp, pid, good, 30000+i%30000)
		case 8:
			fmt.Fprintf(&b, "%s web1 sshd[%d]: Connection closed by %s port %d [preauth]\n", stamp, pid, good, 30000+i%30000)
		case 9:
			fmt.Fprintf(&b, "%s web1 systemd[1]: Started session-%d.scope - Session %d of User deploy.\n", stamp, i, i)
		}
		switch i % 10 {
		case 0, 2, 5, 7:
			fails++
		}
		if b.Len() > 64<<10 {
			chunks = append(chunks, bytes.Clone(b.Bytes()))
			b.Reset()
		}
	}
	if b.Len() > 0 {
		chunks = append(chunks, bytes.Clone(b.Bytes()))
	}
	return chunks, fails
}

// failLines returns k sshd failure lines for ip.
func failLines(ip string, seq, k int) []byte {
	var b bytes.Buffer
	stamp := time.Now().Format(time.Stamp)
	for j := range k {
		fmt.Fprintf(&b, "%s web1 sshd[%d]: Failed password for root from %s port %d ssh2\n", stamp, 20000+seq*10+j, ip, 40000+seq)
	}
	return b.Bytes()
}
