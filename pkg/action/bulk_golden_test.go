package action

import (
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestBanMany_Golden pins every byte of the batch commands and their input: mixed families,
// a batch split at the size limit, IPv4-mapped addresses and the ipset
// shape.
func TestBanMany_Golden(t *testing.T) {
	mapped := manyTickets(3, 0)
	for _, tk := range mapped {
		tk.IP = netipMapped(tk.IP)
	}
	tests := []struct {
		name    string
		in      []Prop
		tickets []*Ticket
		// maxInput lowers maxBatchInput so that a small file shows a split.
		maxInput int
	}{
		{name: "nft_mixed", in: nftProps(), tickets: manyTickets(1200, 700)},
		{name: "nft_split", in: nftProps(), tickets: manyTickets(0, 5000), maxInput: 32 << 10},
		{name: "nft_mapped", in: nftProps(), tickets: mapped},
		{name: "ipset", in: props("actionban", "ipset -exist add <ipmset> <ip> timeout <t>", "actionunban", "ipset del <ipmset> <ip>", "ipmset", "f2b-x", "t", "0"), tickets: manyTickets(5, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.maxInput > 0 {
				setMaxBatchInput(t, tt.maxInput)
			}
			a, rec := newTestAction(t, tt.in...)
			if err := a.BanMany(t.Context(), tt.tickets); err != nil {
				t.Fatalf("BanMany: %v", err)
			}
			got := strings.Join(commandsWithInput(rec), "\n---\n")
			path := filepath.Join("testdata", "banmany_"+tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("scripts differ from %s (run with -update to see)", path)
			}
		})
	}
}

func netipMapped(ip netip.Addr) netip.Addr { return netip.AddrFrom16(ip.As16()) }
