package action

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

func nftProps() []Prop {
	return props(
		"actionstart", "<nftables> add table <table_family> <table>",
		"actionban", `<nftables> add element <table_family> <table> <addr_set> \{ <ip> \}`,
		"actionunban", `<nftables> delete element <table_family> <table> <addr_set> \{ <ip> \}`,
		"nftables", "nft", "table_family", "inet", "table", "f2b-table", "name", "sshd",
		"addr_set", "addr-set-<name>", "addr_set?family=inet6", "addr6-set-<name>",
	)
}

func manyTickets(n4, n6 int) []*Ticket {
	var out []*Ticket
	for i := range n4 {
		out = append(out, &Ticket{IP: netip.AddrFrom4([4]byte{198, 51, byte(100 + i/256%2), byte(i)})})
	}
	for i := range n6 {
		out = append(out, &Ticket{IP: netip.MustParseAddr(fmt.Sprintf("fd42:f2b::%x:%x", (i+1)>>16, (i+1)&0xffff))})
	}
	return out
}

func TestBanMany(t *testing.T) {
	tests := []struct {
		name      string
		in        []Prop
		n4, n6    int
		fail      []string
		maxInput  int // maxBatchInput for the test; 0: the default
		wantCmds  int
		wantStart []string
	}{
		{name: "nft batches per family", in: nftProps(), n4: 300, n6: 20, wantCmds: 3, // inet6 start is the same command: run once
			wantStart: []string{"nft add table inet f2b-table", "nft -f -\nadd element inet f2b-table addr-set-sshd { 198.51.100.0, "}},
		{name: "nft without backslashes batches", in: props("actionban", "nft add element inet f2b-table addr-set-x { <ip> }", "actionunban", "nft delete element inet f2b-table addr-set-x { <ip> }"), n4: 300, wantCmds: 1,
			wantStart: []string{"nft -f -\nadd element inet f2b-table addr-set-x { 198.51.100.0, "}},
		{name: "nft splits long batches", in: nftProps(), n6: 10000, maxInput: 120 << 10, wantCmds: 1 + 2},
		{name: "nft batches many addresses at once", in: nftProps(), n4: 60000, wantCmds: 1 + 1},
		{name: "ipset restore", in: props("actionban", "ipset -exist add <ipmset> <ip> timeout <t>", "actionunban", "ipset del <ipmset> <ip>", "ipmset", "f2b-x", "t", "0"), n4: 3, wantCmds: 1,
			wantStart: []string{"ipset -exist restore\nadd f2b-x 198.51.100.0 timeout 0\nadd f2b-x 198.51.100.1 timeout 0\n"}},
		{name: "other actions ban one by one", in: props("actionban", "echo <ip> <failures>", "actionunban", "echo unban"), n4: 5, wantCmds: 5},
		{name: "failed batch falls back", in: nftProps(), n4: 3, fail: []string{"-f -"}, wantCmds: 1 + 1 + 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.maxInput > 0 {
				setMaxBatchInput(t, tt.maxInput)
			}
			a, rec := newTestAction(t, tt.in...)
			failOn(rec, tt.fail...)
			err := a.BanMany(t.Context(), manyTickets(tt.n4, tt.n6))
			if err != nil {
				t.Fatalf("BanMany: %v", err)
			}
			got := commandsWithInput(rec)
			if len(got) != tt.wantCmds {
				t.Fatalf("%d commands, want %d: %.300q", len(got), tt.wantCmds, got)
			}
			for i, w := range tt.wantStart {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("command %d = %.200q, want prefix %q", i, got[i], w)
				}
			}
			for _, c := range rec.Commands() {
				if len(c.Stdin) > maxBatchInput {
					t.Errorf("batch of %d bytes exceeds the limit", len(c.Stdin))
				}
			}
			// every ticket's family now holds items, so unban runs
			rec.Reset()
			if err := a.Unban(t.Context(), manyTickets(tt.n4, tt.n6)[0]); err != nil || len(rec.Scripts()) != 1 {
				t.Errorf("unban after BanMany: err %v, cmds %q", err, rec.Scripts())
			}
		})
	}
}

// commandsWithInput returns the recorded scripts, each followed by a line
// break and its stdin when it has one.
func commandsWithInput(rec *Recorder) []string {
	var out []string
	for _, c := range rec.Commands() {
		s := c.Script
		if c.Stdin != "" {
			s += "\n" + c.Stdin
		}
		out = append(out, s)
	}
	return out
}

// setMaxBatchInput lowers maxBatchInput for one test.
func setMaxBatchInput(t *testing.T, n int) {
	old := maxBatchInput
	maxBatchInput = n
	t.Cleanup(func() { maxBatchInput = old })
}

func BenchmarkBanMany_Nft(b *testing.B) {
	tickets := manyTickets(0, 100000)
	b.ReportAllocs()
	for b.Loop() {
		a, _ := newTestAction(b, nftProps()...)
		if err := a.BanMany(b.Context(), tickets); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(tickets)), "ns/ticket")
}

func BenchmarkBan_NftEach(b *testing.B) {
	tickets := manyTickets(0, 100000)
	b.ReportAllocs()
	for b.Loop() {
		a, _ := newTestAction(b, nftProps()...)
		for _, t := range tickets {
			if err := a.Ban(b.Context(), t); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(tickets)), "ns/ticket")
}
