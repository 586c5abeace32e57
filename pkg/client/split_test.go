package client

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

var splitCases = []struct {
	name    string
	in      string
	want    []string
	wantErr error
}{
	{name: "words", in: "  set sshd  banip 1.2.3.4 ", want: []string{"set", "sshd", "banip", "1.2.3.4"}},
	{name: "single quotes", in: `set j attempt 1.2.3.4 'bad \ "token"'`, want: []string{"set", "j", "attempt", "1.2.3.4", `bad \ "token"`}},
	{name: "double quotes", in: `echo "a \"b\" \\ \n $x"`, want: []string{"echo", `a "b" \ \n $x`}},
	{name: "glued", in: `a"b c"'d'e`, want: []string{"ab cde"}},
	{name: "empty word", in: `echo "" ''`, want: []string{"echo", "", ""}},
	{name: "escape outside", in: `a\ b \'c`, want: []string{"a b", "'c"}},
	{name: "hash is not a comment", in: "echo #x", want: []string{"echo", "#x"}},
	{name: "unicode", in: "echo ünï €", want: []string{"echo", "ünï", "€"}},
	{name: "tabs", in: "a\tb\r\nc", want: []string{"a", "b", "c"}},
	{name: "empty", in: "", want: nil},
	{name: "unclosed", in: `a "b`, wantErr: ErrNoClosingQuote},
	{name: "backslash literal in single quotes", in: `a 'b\'`, want: []string{"a", `b\`}},
	{name: "unclosed single", in: `a 'b`, wantErr: ErrNoClosingQuote},
	{name: "trailing backslash", in: `a\`, wantErr: ErrNoEscapedChar},
	{name: "backslash in quotes at end", in: `a "b\`, wantErr: ErrNoEscapedChar},
}

func TestSplitLine(t *testing.T) {
	for _, tc := range splitCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SplitLine(tc.in)
			if err != tc.wantErr {
				t.Fatalf("SplitLine error = %v, want %v", err, tc.wantErr)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Fatalf("SplitLine = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSplitLine_Oracle compares with Python's shlex.split, which
// fail2ban-client's interactive mode uses.
func TestSplitLine_Oracle(t *testing.T) {
	needFail2ban(t)
	var lines []string
	for _, tc := range splitCases {
		lines = append(lines, tc.in)
	}
	in, _ := json.Marshal(lines)
	script := `import json, shlex, sys
out = []
for s in json.load(sys.stdin):
    try:
        out.append({"words": shlex.split(s)})
    except ValueError as e:
        out.append({"error": str(e)})
print(json.dumps(out))`
	c := exec.Command("/usr/bin/python3", "-c", script)
	c.Stdin = strings.NewReader(string(in))
	raw, err := c.Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []struct {
		Words []string `json:"words"`
		Error string   `json:"error"`
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for i, line := range lines {
		got, err := SplitLine(line)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if gotErr != want[i].Error || strings.Join(got, "\x00") != strings.Join(want[i].Words, "\x00") || len(got) != len(want[i].Words) {
			t.Errorf("SplitLine(%q) = %q, %q; shlex.split = %q, %q", line, got, gotErr, want[i].Words, want[i].Error)
		}
	}
}

func FuzzSplitLine(f *testing.F) {
	for _, tc := range splitCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := SplitLine(line)
		if err == nil && !strings.ContainsAny(line, `'"\`) {
			fields := strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(" \t\r\n", r) })
			if strings.Join(words, "\x00") != strings.Join(fields, "\x00") {
				t.Fatalf("plain line %q split into %q", line, words)
			}
		}
	})
}
