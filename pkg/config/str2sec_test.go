package config

import (
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

var str2secCases = []struct {
	name    string
	in      string
	want    any
	wantErr bool
}{
	{name: "minutes", in: "10m", want: int64(600)},
	{name: "compound", in: "1h30m", want: int64(5400)},
	{name: "day", in: "1d", want: int64(86400)},
	{name: "week", in: "1w", want: int64(604800)},
	{name: "month is float", in: "1mo", want: 2629800.0},
	{name: "year is float", in: "1y", want: 31557600.0},
	{name: "plain", in: "600", want: int64(600)},
	{name: "negative", in: "-1", want: int64(-1)},
	{name: "negative day", in: "-1d", want: int64(-86400)},
	{name: "fraction", in: "1.5h", want: 5400.0},
	{name: "words", in: "1 hour 30 min", want: int64(5400)},
	{name: "plural", in: "2 days", want: int64(172800)},
	{name: "glued", in: "1w2d", want: int64(777600)},
	{name: "spaces", in: "  10 m ", want: int64(600)},
	{name: "minus", in: "1d-1h", want: int64(82800)},
	{name: "plus", in: "3600 + 1", want: int64(3601)},
	{name: "numbers add", in: "1 2", want: int64(3)},
	{name: "upper", in: "1H", want: int64(3600)},
	{name: "year minus months", in: "1year-6mo", want: 15778800.0},
	{name: "ms", in: "1ms", wantErr: true},
	{name: "yr", in: "1yr", wantErr: true},
	{name: "mins", in: "5 mins", wantErr: true},
	{name: "exponent", in: "1e3", wantErr: true},
	{name: "word", in: "abc", wantErr: true},
	{name: "empty", in: "", wantErr: true},
	{name: "three numbers", in: "1 2 3", wantErr: true},
}

func TestStr2Seconds(t *testing.T) {
	for _, tt := range str2secCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Str2SecondsValue(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Str2SecondsValue(%q) err = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err == nil && !pyval.Equal(got, tt.want) || (err == nil && pyval.Repr(got) != pyval.Repr(tt.want)) {
				t.Errorf("Str2SecondsValue(%q) = %s, want %s", tt.in, pyval.Repr(got), pyval.Repr(tt.want))
			}
		})
	}
}

// TestStr2Seconds_Oracle compares with the real fail2ban-client --str2sec.
func TestStr2Seconds_Oracle(t *testing.T) {
	needOracle(t)
	for _, tt := range str2secCases {
		if tt.in == "" {
			continue
		}
		out, err := exec.Command(realClient, "--str2sec", tt.in).Output()
		want := strings.TrimSpace(string(out))
		if err != nil || strings.HasPrefix(want, "ERROR") {
			want = "error"
		}
		got := "error"
		if v, err := Str2SecondsValue(tt.in); err == nil {
			got = pyval.Repr(v)
		}
		if got != want {
			t.Errorf("%q: got %s, fail2ban-client --str2sec prints %s", tt.in, got, want)
		}
	}
}

func FuzzStr2Seconds(f *testing.F) {
	for _, tt := range str2secCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Str2SecondsValue(s)
	})
}

// TestStr2Seconds_RandomAgainstPython compares random expressions built
// from units, numbers and operators with fail2ban's own str2seconds.
func TestStr2Seconds_RandomAgainstPython(t *testing.T) {
	needOracle(t)
	nums := []string{"1", "2", "10", "0", "1.5", "07", "3_0", "-1", ".5"}
	units := []string{"", "d", "h", "m", "s", "mo", "w", "y", "day", "days", "hours", "Min", "sec", "weeks", "mins", "yr", "x"}
	seps := []string{" ", "", "+", "-", " - ", "*", "  "}
	r := rand.New(rand.NewPCG(7, 11))
	var inputs []string
	var stdin strings.Builder
	for i := 0; i < 600; i++ {
		var b strings.Builder
		for n := 1 + r.IntN(3); n > 0; n-- {
			b.WriteString(nums[r.IntN(len(nums))])
			if r.IntN(3) == 0 {
				b.WriteString(" ")
			}
			b.WriteString(units[r.IntN(len(units))])
			if n > 1 {
				b.WriteString(seps[r.IntN(len(seps))])
			}
		}
		inputs = append(inputs, b.String())
		j, _ := json.Marshal(b.String())
		stdin.Write(append(j, '\n'))
	}
	cmd := exec.Command(realPython, "testdata/str2sec_oracle.py")
	cmd.Stdin = strings.NewReader(stdin.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	bad, ok := 0, 0
	for i, in := range inputs {
		got := "error"
		if v, err := Str2SecondsValue(in); err == nil {
			got = pyval.Repr(v)
		}
		if got != "error" {
			ok++
		}
		if got != want[i] {
			bad++
			if bad <= 10 {
				t.Errorf("str2seconds(%q) = %s, python %s", in, got, want[i])
			}
		}
	}
	if ok < len(inputs)/3 {
		t.Errorf("only %d of %d random inputs were valid; generator too weak", ok, len(inputs))
	}
}
