package action_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/netip"
	"os"
	"os/exec"
	"reflect"
	"testing"
	"time"

	"github.com/f2b/f2b/pkg/action"
)

// oracleNow is the clock of oracle renders (<time> of ticketless commands).
var oracleNow = time.Unix(1795610000, 500000000)

// needFail2ban skips the test unless the Debian fail2ban package is
// importable (fatal under CI=true, where it must be installed).
func needFail2ban(t *testing.T) {
	t.Helper()
	err := exec.Command(debianPython, "-c", "import fail2ban.server.action").Run()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("fail2ban python package required under CI: %v", err)
	}
	t.Skipf("fail2ban python package not available (%v); install the fail2ban Debian package", err)
}

type oracleTicket struct {
	IP       string            `json:"ip"`
	FID      string            `json:"fid,omitempty"`
	Failures int               `json:"failures"`
	Time     float64           `json:"time"`
	BanTime  int               `json:"bantime"`
	BanCount int               `json:"bancount"`
	Matches  []string          `json:"matches"`
	Restored bool              `json:"restored"`
	Data     map[string]string `json:"data"`
}

type oracleCase struct {
	Props       [][2]string   `json:"props"`
	Op          string        `json:"op"`
	Family      string        `json:"family"`
	Ticket      *oracleTicket `json:"ticket,omitempty"`
	EmptyTicket bool          `json:"empty_ticket"`
	Now         float64       `json:"now"`
}

func (o *oracleTicket) ticket() *action.Ticket {
	sec, frac := math.Modf(o.Time)
	return &action.Ticket{
		IP: netip.MustParseAddr(o.IP), ID: o.FID, Failures: o.Failures,
		Time:    time.Unix(int64(sec), int64(math.Round(frac*1e9))),
		BanTime: time.Duration(o.BanTime) * time.Second, BanCount: o.BanCount,
		Matches: o.Matches, Restored: o.Restored, Data: o.Data,
	}
}

// runOracle renders every case with fail2ban's CommandAction.
func runOracle(t *testing.T, cases []oracleCase) []any {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(debianPython, "testdata/render_oracle.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v: %s", err, stderr.Bytes())
	}
	var res []any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	return res
}

// goRender renders a case the way runOracle's script does, as a JSON-like
// value: a string, or a list of script and args.
func goRender(t *testing.T, c oracleCase) any {
	var ps []action.Prop
	for _, p := range c.Props {
		ps = append(ps, action.Prop{Name: p[0], Value: p[1]})
	}
	a, err := action.New(action.Options{
		Jail: "sshd", Name: "oracle", Props: ps, Runner: &action.Recorder{},
		Hostname: func() string { return "host.example.org" },
		Now:      func() time.Time { return oracleNow },
	})
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	var tk *action.Ticket
	if c.Ticket != nil {
		tk = c.Ticket.ticket()
	}
	cmd, err := a.Render(c.Op, c.Family, tk)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	if len(cmd.Args) == 0 {
		return cmd.Script
	}
	out := []any{cmd.Script}
	for _, v := range cmd.Args {
		out = append(out, v)
	}
	return out
}

func oracleCases() []oracleCase {
	evil := &oracleTicket{
		IP: "203.0.113.9", Failures: 4, Time: 1795610394.0346088, BanTime: 600, BanCount: 1,
		Matches: []string{"x $(touch pwned) `id`; rm -rf / 'q' \"d\"", "line2\r"},
		Data:    map[string]string{"user": "ro ot;", "fport": "22", "fid": "a|b", "mlfid": "plain"},
	}
	v6 := &oracleTicket{IP: "2001:db8::42", Failures: 1, Time: 1795610387.340429, BanTime: 3600, BanCount: 1,
		Matches: []string{"m1", "m2"}, Data: map[string]string{}}
	v4 := &oracleTicket{IP: "192.0.2.77", Failures: 2, Time: 1795610000.0, BanTime: -1, Restored: true,
		Matches: []string{}, Data: map[string]string{"user": "bob"}}
	ipt := [][2]string{
		{"actionstart", "<iptables> -N f2b-<name>\n<iptables> -A f2b-<name> -j <returntype>\n<iptables> -I <chain> -p <protocol> -m multiport --dports <port> -j f2b-<name>"},
		{"actionban", "<iptables> -I f2b-<name> 1 -s <ip> -j <blocktype>"},
		{"actionunban", "<iptables> -D f2b-<name> -s <ip> -j <blocktype>"},
		{"actioncheck", "<iptables> -n -L <chain> | grep -q 'f2b-<name>[ \\t]'"},
		{"port", "ssh"}, {"protocol", "tcp"}, {"chain", "<known/chain>"}, {"known/chain", "INPUT"},
		{"name", "sshd"}, {"blocktype", "REJECT --reject-with icmp-port-unreachable"},
		{"returntype", "RETURN"}, {"lockingopt", "-w"}, {"iptables", "iptables <lockingopt>"},
		{"blocktype?family=inet6", "REJECT --reject-with icmp6-port-unreachable"},
		{"iptables?family=inet6", "ip6tables <lockingopt>"},
	}
	echo := [][2]string{
		{"actionban", `echo "<ip> <matches> <F-USER> <F-PORT> <F-ID> <F-MLFID> <F-NOPE> <time> <failures> <bantime> <restored> <ip-rev> <family> <fid> <nosuchtag> <br> <sp>" >> /tmp/x`},
		{"actionunban", "printf %s <ipmatches><ipjailmatches><ipfailures> <ipjailfailures>"},
		{"actionstart", "touch <name>-<family>.<ip> <time>"}, {"name", "j"},
	}
	nested := [][2]string{
		{"actionban", "<nft> add element <tf> <table> <addr_set> { <ip> }"},
		{"actionstart", "<rule_match-<type>> <rule_stat>"}, {"type", "multiport"},
		{"rule_match-multiport", "$proto dport \\{ $(echo '<port>' | sed s/:/-/g) \\}"},
		{"rule_stat", "%(match)s <addr_family> saddr @<addr_set> <blocktype>"},
		{"port", "22,80"}, {"nft", "nft"}, {"tf", "inet"}, {"table", "f2b"},
		{"addr_set", "addr-set-<name>"}, {"addr_set?family=inet6", "addr6-set-<name>"},
		{"addr_family", "ip"}, {"addr_family?family=inet6", "ip6"}, {"name", "sshd"},
		{"blocktype", "reject"}, {"matches", "m;x"},
	}
	bad := [][2]string{{"actionban", "<a>"}, {"a", "<b>"}, {"b", "<a>"}}
	var cases []oracleCase
	for _, ps := range [][][2]string{ipt, echo, nested, bad} {
		for _, fam := range []string{"", "inet4", "inet6"} {
			for _, op := range []string{"actionstart", "actionstop", "actioncheck"} {
				cases = append(cases, opCase(ps, op, fam))
			}
		}
		for _, tk := range []*oracleTicket{evil, v6, v4} {
			for _, op := range []string{"actionban", "actionunban"} {
				cases = append(cases, oracleCase{Props: ps, Op: op, Ticket: tk})
			}
		}
	}
	return cases
}

func opCase(ps [][2]string, op, fam string) oracleCase {
	return oracleCase{Props: ps, Op: op, Family: fam, EmptyTicket: true,
		Now: float64(oracleNow.Unix()) + float64(oracleNow.Nanosecond())/1e9}
}

func TestRender_Oracle(t *testing.T) {
	needFail2ban(t)
	compareOracle(t, oracleCases())
}

// compareOracle renders every case here and with fail2ban and reports
// differences.
func compareOracle(t *testing.T, cases []oracleCase) {
	t.Helper()
	want := runOracle(t, cases)
	if len(want) != len(cases) {
		t.Fatalf("oracle returned %d results for %d cases", len(want), len(cases))
	}
	for i, c := range cases {
		got := goRender(t, c)
		w := want[i]
		if m, ok := w.(map[string]any); ok {
			if _, isErr := got.(map[string]any); !isErr {
				t.Errorf("case %d (%s %q): fail2ban error %v, we rendered %q", i, c.Op, c.Family, m["error"], got)
			}
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("case %d (%s fam=%q ticket=%v):\n got  %q\n want %q\n props %q", i, c.Op, c.Family, c.Ticket != nil, got, w, c.Props)
		}
	}
}

const debianPython = "/usr/bin/python3"
