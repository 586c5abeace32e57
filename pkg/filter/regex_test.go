package filter

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestTranslate(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		multiline bool
		want      string // targetASCII
		wantBT    string // targetBT ("" = not checked)
		wantNeed  bool   // needs regexp2
		wantErr   bool
	}{
		{name: "named group", in: `(?P<user>\S+)`, want: `(?P<user>[^\t-\r\x1c-\x1f ]+)`, wantBT: `(?<user>[^\s\x1c-\x1f]+)`},
		{name: "anchors single-line", in: `^a$`, want: `\Aa(?m:$)`, wantBT: `^a$`},
		{name: "anchors multiline", in: `^a$`, multiline: true, want: `(?m:^)a(?m:$)`, wantBT: `(?m)^a$`},
		{name: "brace min omitted", in: `a{,3}`, want: `a{0,3}`},
		{name: "brace literal", in: `a{x}`, want: `a\{x\}`},
		{name: "dot and escapes", in: `a.b\.c\-d`, want: `a.b\.c\-d`},
		{name: "class with bracket", in: `[[a]`, want: `[\[a]`},
		{name: "class first bracket literal", in: `[]a]`, want: `[\]a]`},
		{name: "negated shorthand in class", in: `[^\S]`, want: `[^\x00-\x08\x0e-\x1b!-\x{10FFFF}]`},
		{name: "host lookbehind", in: `(?:a|(?<=:):)`, want: `(?:a|:)`},
		{name: "lookahead", in: `a(?!b)`, wantBT: `a(?!b)`, wantNeed: true},
		{name: "conditional", in: `(?P<x>a)?(?(x)b|c)`, wantBT: `(?<x>a)?(?(x)b|c)`, wantNeed: true},
		{name: "numbered conditional", in: `(?P<n>a)(b)?(?(2)c|d)`, wantBT: `(?<n>a)(b)?(?(1)c|d)`, wantNeed: true},
		{name: "named backref", in: `(?P<q>['"])x(?P=q)`, wantBT: `(?<q>['"])x\k<q>`, wantNeed: true},
		{name: "numbered backref after named", in: `(?P<a>x)(y)\2`, wantBT: `(?<a>x)(y)(?:\1)`, wantNeed: true},
		{name: "Z", in: `a\Z`, want: `a\z`},
		{name: "hex and unicode escapes", in: `\x41\u00e9`, want: `Aé`},
		{name: "comment group", in: `a(?#note)b`, want: `ab`},
		{name: "global flags at start", in: `(?i)abc`, want: `(?i)abc`},
		{name: "unicode flag dropped", in: `(?u)abc`, want: `abc`},
		{name: "scoped flags", in: `(?i:a)b`, want: `(?i:a)b`},
		{name: "space literal for regexp2", in: `a b#c`, wantBT: `a\ b\#c`},
		{name: "global flags late", in: `a(?i)b`, wantErr: true},
		{name: "unknown escape", in: `\q`, wantErr: true},
		{name: "unbalanced", in: `(a`, wantErr: true},
		{name: "unbalanced close", in: `a)`, wantErr: true},
		{name: "unknown group ref", in: `(?P=nope)`, wantErr: true},
		{name: "duplicate group", in: `(?P<a>x)(?P<a>y)`, wantErr: true},
		{name: "possessive", in: `a++`, wantErr: true},
		{name: "bad range", in: `a{3,1}`, wantErr: true},
		{name: "unterminated class", in: `[abc`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, need, err := translate(tt.in, targetASCII, tt.multiline)
			if (err != nil) != tt.wantErr {
				t.Fatalf("translate(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if (need != "") != tt.wantNeed {
				t.Errorf("translate(%q) needs regexp2 = %q, want %v", tt.in, need, tt.wantNeed)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("translate(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if tt.wantBT != "" {
				bt, _, err := translate(tt.in, targetBT, tt.multiline)
				if err != nil || bt != tt.wantBT {
					t.Errorf("translate(%q, regexp2) = %q, %v, want %q", tt.in, bt, err, tt.wantBT)
				}
			}
		})
	}
}

func TestCompileRegexEngine(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Engine
		wantLit string
		wantPre string
	}{
		{name: "host tag is RE2", in: ExpandTags(`^Failed for <HOST> port \d+`, "warn"), want: EngineRE2, wantLit: " port ", wantPre: "Failed for "},
		{name: "lookahead needs regexp2", in: `^user (?!root)\S+ from (?P<ip4>\S+)`, want: EngineRegexp2, wantLit: " from ", wantPre: "user "},
		{name: "backref needs regexp2", in: `^(?P<q>")x(?P=q)`, want: EngineRegexp2, wantLit: "", wantPre: `"x`},
		{name: "big repeat falls back", in: `a{2000}`, want: EngineRegexp2},
		{name: "case-insensitive has no literal", in: `(?i)^error from (?P<ip4>\S+)`, want: EngineRE2},
		{name: "conditional literal", in: `(?P<a>x)?(?(a)yy|yy)zz`, want: EngineRegexp2, wantLit: "yyzz"},
		{name: "prefix reads into groups", in: `^(?P<a>(?P<b>Re)ceived (?:dis)connect(?P<c>)) from \d+`, want: EngineRE2, wantLit: "", wantPre: "Received disconnect from "},
		{name: "prefix stops inside a group", in: `^(?P<a>Accepted \w+) for x`, want: EngineRE2, wantLit: " for x", wantPre: "Accepted "},
		{name: "prefix stops at a folded group", in: `^(?P<a>(?i:ab))c`, want: EngineRE2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CompileRegex(tt.in, RegexOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Engine() != tt.want {
				t.Errorf("engine = %v (%s), want %v", r.Engine(), r.EngineReason(), tt.want)
			}
			if r.Engine() == EngineRegexp2 && r.EngineReason() == "" {
				t.Error("regexp2 engine without a reason")
			}
			if r.Literal() != tt.wantLit || r.Prefix() != tt.wantPre {
				t.Errorf("literal, prefix = %q, %q, want %q, %q", r.Literal(), r.Prefix(), tt.wantLit, tt.wantPre)
			}
		})
	}
}

// TestRegexTimeout: a catastrophic pattern that needs regexp2 must give up
// within the timeout and count as no match, with ErrMatchTimeout.
func TestRegexTimeout(t *testing.T) {
	tests := []struct {
		name string
		in   string
		text string
	}{
		{name: "nested plus", in: `^(?=a)(a+)+$`, text: strings.Repeat("a", 40) + "!"},
		{name: "long line alternation", in: `^(?!x)(?:\w+\s?)+:(?P<ip4>\d+)$`, text: strings.Repeat("word ", 40) + "!:1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CompileRegex(tt.in, RegexOptions{Timeout: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if r.Engine() != EngineRegexp2 {
				t.Fatalf("engine = %v, want regexp2", r.Engine())
			}
			start := time.Now()
			m, err := r.Search(tt.text)
			if m != nil || !errors.Is(err, ErrMatchTimeout) {
				t.Fatalf("Search = %v, %v; want nil, ErrMatchTimeout", m, err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("search took %v despite a 20ms timeout", d)
			}
			if r.Timeouts() != 1 {
				t.Errorf("Timeouts() = %d, want 1", r.Timeouts())
			}
		})
	}
	// The same shape without lookaround stays on RE2: linear, no timeout.
	r, err := CompileRegex(`^(a+)+$`, RegexOptions{})
	if err != nil || r.Engine() != EngineRE2 {
		t.Fatalf("CompileRegex: %v, %v", r.Engine(), err)
	}
	if m, err := r.Search(strings.Repeat("a", 5000) + "!"); m != nil || err != nil {
		t.Errorf("RE2 search = %v, %v", m, err)
	}
}

// regexCases are compared with Python's re by TestRegexPython.
var regexCases = []struct {
	expr      string
	multiline bool
	texts     []string
}{
	{expr: ExpandTags(`^\s*<ADDR>\s+\S+\s+Incorrect token used\.`, "warn"), texts: []string{" 192.0.2.1 - Incorrect token used. x\n", " [2001:db8::1] a Incorrect token used.\n", " ::ffff:10.0.0.1 a Incorrect token used.\n", "x 1.2.3.4 - Incorrect token used.\n"}},
	{expr: ExpandTags(`^Failed \S+ for (?P<cond_inv>invalid user )?<F-USER>(?P<cond_user>\S+)|(?(cond_inv)(?:(?! from ).)*?|[^:]+)</F-USER> from <HOST>(?: port \d+)?(?(cond_user): |(?:(?:(?! from ).)*)$)`, "warn"), texts: []string{"Failed password for root from 1.2.3.4 port 22 ssh2\n", "Failed password for invalid user a b from 1.2.3.4 port 22 ssh2\n", "Failed none for invalid user from here from 2001:db8::2\n"}},
	{expr: `^a\s+b$`, texts: []string{"a \x1c b\n", "a\u00a0b\n", "a\u2003b\n", "a\tb", "a b\n\n"}},
	{expr: `\d+\w*\b`, texts: []string{"x ٣٤٥ab\n", "éé 12é\n", "__9\n"}},
	{expr: `^(?P<x>[^\S\n]+)y`, texts: []string{"  y\n", "\u00a0y\n", "\ny\n"}},
	{expr: `(?i)^usEr (?P<u>\w+)`, texts: []string{"USER bob\n", "user Ǆx\n"}},
	{expr: `^(?P<a>x)?(?(a)y|z)\Z`, texts: []string{"xy", "z", "xz", "z\n"}},
	{expr: `^line1$\n^(?P<s>(?:.*\n)*?)line3$`, multiline: true, texts: []string{"line1\nline2\nline3\n", "line0\nline1\nline3\n"}},
	{expr: `ab{,2}c|(?P<q>['"])q(?P=q)`, texts: []string{"abbc\n", "ac\n", "'q'\n", "'q\"\n"}},
	{expr: `[\w\-.^_]*\w`, texts: []string{"host-1.example.org\n", "é.ü\n"}},
}

// TestRegexPython compares match spans and named groups with Python's re
// (the engine fail2ban uses).
func TestRegexPython(t *testing.T) {
	needPython(t)
	type pyCase struct {
		Expr      string   `json:"expr"`
		Multiline bool     `json:"multiline"`
		Texts     []string `json:"texts"`
	}
	var in []pyCase
	for _, c := range regexCases {
		in = append(in, pyCase{Expr: c.expr, Multiline: c.multiline, Texts: c.texts})
	}
	b, _ := json.Marshal(in)
	script := `
import json, re, sys
out = []
for c in json.load(sys.stdin):
    r = re.compile(c["expr"], re.M if c["multiline"] else 0)
    res = []
    for t in c["texts"]:
        m = r.search(t)
        if m is None:
            res.append(None); continue
        b = lambda i: len(t[:i].encode())
        res.append({"span": [b(m.start()), b(m.end())], "groups": {k: (None if m.start(k) < 0 else [b(m.start(k)), b(m.end(k))]) for k in r.groupindex}})
    out.append(res)
print(json.dumps(out))
`
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = strings.NewReader(string(b))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var want [][]*struct {
		Span   [2]int             `json:"span"`
		Groups map[string]*[2]int `json:"groups"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range regexCases {
		r, err := CompileRegex(c.expr, RegexOptions{Multiline: c.multiline})
		if err != nil {
			t.Errorf("CompileRegex(%q): %v", c.expr, err)
			continue
		}
		for j, text := range c.texts {
			m, err := r.Search(text)
			w := want[i][j]
			switch {
			case err != nil:
				t.Errorf("%q on %q: %v", c.expr, text, err)
			case (m == nil) != (w == nil):
				t.Errorf("%q on %q: match %v, python %v", c.expr, text, m != nil, w != nil)
			case m != nil && (m.Start() != w.Span[0] || m.End() != w.Span[1]):
				t.Errorf("%q on %q: span [%d,%d], python %v", c.expr, text, m.Start(), m.End(), w.Span)
			case m != nil:
				for name, span := range w.Groups {
					v, ok := m.Group(name)
					if ok != (span != nil) || (ok && v != text[span[0]:span[1]]) {
						t.Errorf("%q on %q: group %s = %q/%v, python %v", c.expr, text, name, v, ok, span)
					}
				}
			}
		}
	}
}

func needPython(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 missing")
		}
		t.Skip("needs /usr/bin/python3 as the Python re oracle")
	}
}

// TestIsASCII covers the short-text loop, the sixteen-byte steps, the
// word left over and the overlapping last word: a high byte anywhere in
// a text of any length up to 40 is seen.
func TestIsASCII(t *testing.T) {
	base := strings.Repeat("abcdefgh", 5)
	if !isASCII(base) || !isASCII("") {
		t.Fatal("ASCII text reported non-ASCII")
	}
	for n := range len(base) + 1 {
		if !isASCII(base[:n]) {
			t.Errorf("ASCII text of %d bytes reported non-ASCII", n)
		}
		for i := range n {
			b := []byte(base[:n])
			b[i] = 0x80
			if isASCII(string(b)) {
				t.Errorf("byte 0x80 at %d of %d not seen", i, n)
			}
		}
	}
}
