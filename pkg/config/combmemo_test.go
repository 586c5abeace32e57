package config

import (
	"fmt"
	"strings"
	"testing"
)

// memoCase runs dicts of the same keys (template values and each
// reader's words) through one combMemo and checks every result against
// substituting directly; it returns how many came from the memo.
func memoCase(t *testing.T, cmd1, cmd2, x string, words [][2]string) int {
	t.Helper()
	ask := func(name string) (string, bool, error) {
		switch name {
		case "ask1":
			return "<name>-z", true, nil
		case "ask2":
			return "q", true, nil
		}
		return "", false, nil
	}
	ignore := []string{"ip"}
	ign := map[string]bool{"ip": true}
	dict := func(w [2]string) *odict {
		d := newODict()
		d.Set("cmd1", cmd1)
		d.Set("cmd2", cmd2)
		d.Set("name", w[0])
		d.Set("port", w[1])
		d.Set("x", x)
		d.Set("ip", "<ip>")
		return d
	}
	var m combMemo
	hits := 0
	for _, w := range words {
		want, wantErr := substituteTags(dict(w), ign, ask)
		got, ok := m.substitute(dict(w), ignore, ign, ask)
		if !ok {
			continue
		}
		hits++
		if wantErr != nil {
			t.Fatalf("memo gave %q where substituting fails: %v (cmd1 %q cmd2 %q x %q words %q)", got.vals, wantErr, cmd1, cmd2, x, w)
		}
		if fmt.Sprint(got.keys, got.vals) != fmt.Sprint(want.keys, want.vals) {
			t.Fatalf("memo %q, direct %q (cmd1 %q cmd2 %q x %q words %q)", got.vals, want.vals, cmd1, cmd2, x, w)
		}
	}
	return hits
}

func TestCombMemo(t *testing.T) {
	// "x" names a key: "<<name>>" becomes a tag for that reader only
	words := [][2]string{{"sshd", "ssh"}, {"dropbear", "ssh"}, {"apache", "http,https"}, {"x", "0"}, {"x y", "1"}, {"a<b", "2"}, {"c", "3"}}
	tests := []struct {
		cmd1, cmd2, x string
		minHits       int
	}{
		{cmd1: "<cmd2> -N f2b-<name> --dport <port> -s <ip>", cmd2: "iptables <x>", x: "-w", minHits: 4},
		{cmd1: "<ask1> <ask2> <ask3>", cmd2: "<port>", minHits: 4},
		// a word next to a tag's '<' could become part of a tag name
		{cmd1: "<f2b-<name>> <cmd2>", cmd2: "<na<port>>", minHits: 0},
		{cmd1: "<<name>>", cmd2: "<name", x: "me>"},
		{cmd1: "<<name>> <cmd2>", cmd2: "0"},
		{cmd1: "<cmd1>"}, // self-reference: an error, never memoized
		{cmd1: "plain", cmd2: "text", x: "only", minHits: 4},
	}
	for _, tt := range tests {
		if hits := memoCase(t, tt.cmd1, tt.cmd2, tt.x, words); hits < tt.minHits {
			t.Errorf("%q %q %q: %d readers from the memo, want at least %d", tt.cmd1, tt.cmd2, tt.x, hits, tt.minHits)
		}
	}
}

// FuzzCombMemo: whatever the templates and words, a reader served from
// the memo gets exactly what substituting its own options gives.
func FuzzCombMemo(f *testing.F) {
	f.Add("<cmd2> -N f2b-<name> <port> <ip>", "iptables <x>", "-w", "sshd", "ssh", "dropbear", "22", "web", "http")
	f.Add("<f2b-<name>>", "<na<port>>", "", "me", "x", "m", "y", "n", "z")
	f.Add("<ask1><name>", "<x<port>>", "y>", "a", "b", "c", "d", "e", "f")
	f.Fuzz(func(t *testing.T, cmd1, cmd2, x, n1, p1, n2, p2, n3, p3 string) {
		// Keep the references acyclic (cmd1 may use cmd2, cmd2 neither):
		// a cycle that duplicates tags grows exponentially to the limit.
		if strings.Contains(cmd1, "cmd1") || strings.Contains(cmd2, "cmd") || strings.Contains(x, "<") ||
			len(cmd1)+len(cmd2)+len(x) > 200 {
			t.Skip()
		}
		memoCase(t, cmd1, cmd2, x, [][2]string{{n1, p1}, {n2, p2}, {n3, p3}, {n1, p2}})
	})
}
