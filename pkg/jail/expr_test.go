package jail

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

var exprTests = []struct {
	name    string
	in      string
	want    float64
	isInt   bool
	wantErr bool
}{
	{name: "default formula count 1", in: "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor", want: 1200, isInt: true},
	{name: "exp formula", in: "ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)", want: 600 * math.E},
	{name: "precedence", in: "1 + 2 * 3 ** 2", want: 19, isInt: true},
	{name: "unary minus and power", in: "-2**2", want: -4, isInt: true},
	{name: "right assoc power", in: "2**3**2", want: 512, isInt: true},
	{name: "negative exponent", in: "2**-1", want: 0.5},
	{name: "true division", in: "7/2", want: 3.5},
	{name: "floor division negative", in: "-7//2", want: -4, isInt: true},
	{name: "python modulo", in: "-7%3", want: 2, isInt: true},
	{name: "chained compare", in: "0 < ban.Count < 3", want: 1, isInt: true},
	{name: "and or values", in: "0 or 5 and 7", want: 7, isInt: true},
	{name: "not", in: "not 0", want: 1, isInt: true},
	{name: "min max", in: "min(ban.Time*10, 3600) + max(1, 2.5)", want: 3602.5},
	{name: "int round", in: "int(2.9) + round(2.5) + round(3.5)", want: 8, isInt: true},
	{name: "shift overflow to float", in: "1 << 70", want: math.Pow(2, 70)},
	{name: "bitwise", in: "(6 & 3) | (1 ^ 4)", want: 7, isInt: true},
	{name: "float literal", in: "1.5e2 + .5", want: 150.5},
	{name: "neg one power odd", in: "(-1)**3", want: -1, isInt: true},
	{name: "unknown name", in: "os.system", wantErr: true},
	{name: "unknown function", in: "__import__(1)", wantErr: true},
	{name: "string literal", in: "'x'", wantErr: true},
	{name: "trailing tokens", in: "1 2", wantErr: true},
	{name: "unclosed", in: "(1+2", wantErr: true},
	{name: "division by zero", in: "1/0", wantErr: true},
	{name: "ternary needs else", in: "1 if 1", wantErr: true},
	{name: "zeros literal", in: "00 + 1", want: 1, isInt: true},
	{name: "octal-looking literal", in: "012", wantErr: true},
}

func testEnv() *exprEnv {
	return &exprEnv{banTime: intNum(600), banCount: intNum(1), banFactor: intNum(1), random: func() float64 { return 0.5 }}
}

func TestExpr(t *testing.T) {
	for _, tt := range exprTests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := compileExpr(tt.in)
			var got num
			if err == nil {
				got, err = e(testEnv())
			}
			if tt.wantErr {
				if err == nil || !errors.Is(err, errExpr) {
					t.Fatalf("eval(%q) = %v, %v; want errExpr", tt.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("eval(%q): %v", tt.in, err)
			}
			if math.Abs(got.f-tt.want) > 1e-9*math.Max(1, math.Abs(tt.want)) || got.isInt != tt.isInt {
				t.Errorf("eval(%q) = %v (int %v), want %v (int %v)", tt.in, got.f, got.isInt, tt.want, tt.isInt)
			}
		})
	}
}

// TestExpr_Oracle evaluates the accepted table rows with Python itself.
func TestExpr_Oracle(t *testing.T) {
	py := requirePython(t)
	var lines []string
	for _, tt := range exprTests {
		if !tt.wantErr {
			lines = append(lines, tt.in)
		}
	}
	script := "import math,sys\nclass B: Time=600; Count=1\nban=B(); banFactor=1\n" +
		"for l in sys.stdin.read().split('\\n'): print(repr(eval(l)))"
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	for i, res := range strings.Fields(string(out)) {
		want, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(res, "True"), "False"), 64)
		switch res {
		case "True":
			want = 1
		case "False":
			want = 0
		}
		e, _ := compileExpr(lines[i])
		got, err := e(testEnv())
		if err != nil || math.Abs(got.f-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("eval(%q) = %v, %v; python says %s", lines[i], got.f, err, res)
		}
	}
}

func requirePython(t *testing.T) string {
	t.Helper()
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import fail2ban").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Debian python3 with fail2ban needed: %v", err)
		}
		t.Skipf("Debian python3 with fail2ban not available: %v", err)
	}
	return py
}

func FuzzExpr(f *testing.F) {
	for _, tt := range exprTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := compileExpr(s)
		if err != nil {
			return
		}
		_, _ = e(testEnv())
	})
}
