package ini

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var parseCases = []struct {
	name    string
	in      string
	want    string // sections and keys rendered by render()
	wantErr string
}{
	{name: "basic", in: "[a]\nk = v\n", want: "[a] k=\"v\""},
	{name: "key case", in: "[S]\nMyKey = Value\n", want: "[S] mykey=\"Value\""},
	{name: "colon delimiter", in: "[a]\nk: v = w\n", want: "[a] k=\"v = w\""},
	{name: "hash not inline", in: "[a]\nk = v # no\n", want: "[a] k=\"v # no\""},
	{name: "semicolon inline", in: "[a]\nk = v ; yes\n", want: "[a] k=\"v\""},
	{name: "semicolon glued", in: "[a]\nk = v;x\n", want: "[a] k=\"v;x\""},
	{name: "multi-line", in: "[a]\nmulti = line1\n   # comment\n   line2\n\n   line4\n\n", want: "[a] multi=\"line1\\nline2\\n\\nline4\""},
	{name: "greedy header", in: "[a] [b]\nk=1\n", want: "[a] [b] k=\"1\""},
	{name: "default section", in: "[DEFAULT]\nx = 1\n[a]\ny = %(x)s\n", want: "[DEFAULT] x=\"1\" [a] y=\"%(x)s\""},
	{name: "empty value", in: "[a]\nk =\n", want: "[a] k=\"\""},
	{name: "crlf", in: "[a]\r\nk = v\r\n  w\r\n", want: "[a] k=\"v\\nw\""},
	{name: "indented section is continuation", in: "[a]\nk = v\n  [b]\n", want: "[a] k=\"v\\n[b]\""},
	{name: "comment only", in: "# nothing\n; here\n", want: ""},
	{name: "duplicate section", in: "[a]\n[a]\n", wantErr: "<stdin>:2: section \"a\" already exists"},
	{name: "duplicate key", in: "[a]\nk=1\nK=2\n", wantErr: "<stdin>:3: section \"a\": option \"k\" already exists"},
	{name: "duplicate key in second DEFAULT", in: "[DEFAULT]\nk=1\n[DEFAULT]\nk=2\n", wantErr: "<stdin>:4: section \"DEFAULT\": option \"k\" already exists"},
	{name: "no section", in: "k = v\n", wantErr: "<stdin>:1: option outside of any section"},
	{name: "no delimiter", in: "[a]\nwords\n", wantErr: "<stdin>:2: line is neither"},
	{name: "empty key", in: "[a]\n= v\n", wantErr: "<stdin>:2: line is neither"},
}

func render(f *File) string {
	var parts []string
	for _, s := range f.Sections {
		parts = append(parts, "["+s.Name+"]")
		for _, k := range s.Keys {
			b, _ := json.Marshal(k.Value)
			parts = append(parts, k.Name+"="+string(b))
		}
	}
	return strings.Join(parts, " ")
}

func TestParse(t *testing.T) {
	for _, tt := range parseCases {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("<stdin>", strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := render(f); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestParse_Positions(t *testing.T) {
	f, err := Parse("x.conf", strings.NewReader("# c\n[a]\n\nk = 1\n  more\nj = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := f.Section("a")
	if s.Pos.String() != "x.conf:2" || s.Key("k").Pos.String() != "x.conf:4" || s.Key("j").Pos.String() != "x.conf:6" {
		t.Errorf("positions: section %v, k %v, j %v", s.Pos, s.Key("k").Pos, s.Key("j").Pos)
	}
}

func TestParseFile_SizeCap(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.conf")
	if err := os.WriteFile(p, make([]byte, MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseFile(p); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want size error", err)
	}
}

type pySection struct {
	Name string
	Keys [][2]string
}

// TestParse_AgainstConfigparser parses the table inputs and every stock
// file with Python's configparser and compares.
func TestParse_AgainstConfigparser(t *testing.T) {
	const py = "/usr/bin/python3"
	if _, err := os.Stat("/usr/lib/python3/dist-packages/fail2ban"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("fail2ban not installed")
		}
		t.Skip("fail2ban (and Debian's python3) not installed; nothing to compare with")
	}
	dir := t.TempDir()
	var files []string
	for i, tt := range parseCases {
		p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".conf")
		_ = i
		if err := os.WriteFile(p, []byte(tt.in), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	stock, _ := filepath.Glob("/etc/fail2ban/*/*.conf")
	files = append(files, stock...)
	out, err := exec.Command(py, append([]string{"testdata/cp_oracle.py"}, files...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []struct {
		Error    string
		Sections [][2]json.RawMessage
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, name := range files {
		f, err := ParseFile(name)
		if (err != nil) != (want[i].Error != "") {
			t.Errorf("%s: err = %v, configparser: %q", name, err, want[i].Error)
			continue
		}
		if err != nil {
			continue
		}
		var got [][2]any
		for _, s := range f.Sections {
			var keys [][2]string
			for _, k := range s.Keys {
				keys = append(keys, [2]string{k.Name, k.Value})
			}
			if s.Name == DefaultSection {
				if len(keys) > 0 { // configparser lists its defaults first
					got = append([][2]any{{s.Name, keys}}, got...)
				}
				continue
			}
			got = append(got, [2]any{s.Name, keys})
		}
		var w [][2]any
		for _, s := range want[i].Sections {
			var n string
			var keys [][2]string
			_ = json.Unmarshal(s[0], &n)
			_ = json.Unmarshal(s[1], &keys)
			if len(keys) == 0 {
				keys = nil
			}
			w = append(w, [2]any{n, keys})
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, w)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, tt := range parseCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		file, err := Parse("fuzz", strings.NewReader(s))
		if err == nil && file == nil {
			t.Fatal("nil file without error")
		}
	})
}

// TestParseDuplicateErrors checks every error of a file that reopens
// sections: an option is a duplicate if its section, under the same
// name, had it before, whichever header it came under.
func TestParseDuplicateErrors(t *testing.T) {
	in := "[a]\nk=1\n[b]\nk=1\n[a]\nk=2\nj=1\n[DEFAULT]\nd=1\n[DEFAULT]\nd=2\n"
	_, err := Parse("<stdin>", strings.NewReader(in))
	var el ErrorList
	if !errors.As(err, &el) {
		t.Fatalf("err = %v, want an ErrorList", err)
	}
	var got []string
	for _, e := range el {
		got = append(got, e.Error())
	}
	want := []string{
		`<stdin>:5: section "a" already exists in this file`,
		`<stdin>:6: section "a": option "k" already exists in this file`,
		`<stdin>:11: section "DEFAULT": option "d" already exists in this file`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

// commentStartRef is commentStart's rule byte by byte: a whole-line
// comment, or the first ';' at the start or after whitespace.
func commentStartRef(line string) int {
	if t := trim(line); strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";") {
		return 0
	}
	for i := 0; i < len(line); i++ {
		if line[i] != ';' {
			continue
		}
		if i == 0 {
			return 0
		}
		if r, _ := utf8.DecodeLastRuneInString(line[:i]); isSpace(r) {
			return i
		}
	}
	return len(line)
}

func FuzzCommentStart(f *testing.F) {
	for _, s := range []string{"a = b ; c", "a=b;c ;d", "  ; x", "# y", "v = x\u00a0;c", ";", "a;;b ;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if got, want := commentStart(line), commentStartRef(line); got != want {
			t.Fatalf("commentStart(%q) = %d, want %d", line, got, want)
		}
		if got, want := delimiter(line), strings.IndexAny(line, "=:"); got != want {
			t.Fatalf("delimiter(%q) = %d, want %d", line, got, want)
		}
	})
}

// A file with many sections finds a reopened one through its index: the
// error and the merged keys are those of a short file.
func TestParseManySectionsReopened(t *testing.T) {
	var in strings.Builder
	for i := range 2 * sectionIndexMin {
		fmt.Fprintf(&in, "[s%d]\nk = %d\n", i, i)
	}
	in.WriteString("[s3]\nj = 3\n[s30]\nj = 30\n")
	f, err := Parse("<stdin>", strings.NewReader(in.String()))
	var el ErrorList
	if !errors.As(err, &el) || len(el) != 2 {
		t.Fatalf("err = %v, want two reopened sections", err)
	}
	if len(f.Sections) != 2*sectionIndexMin {
		t.Fatalf("%d sections, want %d", len(f.Sections), 2*sectionIndexMin)
	}
	for _, name := range []string{"s3", "s30"} {
		if s := f.Section(name); s == nil || s.Key("k") == nil || s.Key("j") == nil {
			t.Errorf("section %s lacks k or j: %+v", name, s)
		}
	}
}
