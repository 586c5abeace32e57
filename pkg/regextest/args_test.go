package regextest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	def := DefaultOptions()
	with := func(f func(o *Options)) Options { o := def; f(&o); return o }
	tests := []struct {
		name    string
		in      []string
		want    Options
		wantErr string
	}{
		{name: "positional", in: []string{"log", "re"}, want: with(func(o *Options) { o.Args = []string{"log", "re"} })},
		{name: "interspersed", in: []string{"log", "-v", "re", "-vv", "ign"}, want: with(func(o *Options) { o.Verbose = 3; o.Args = []string{"log", "re", "ign"} })},
		{name: "long equals", in: []string{"--datepattern=^{DATE}", "l", "r"}, want: with(func(o *Options) { o.DatePattern, o.DatePatternSet, o.Args = "^{DATE}", true, []string{"l", "r"} })},
		{name: "long separate", in: []string{"--config", "/x", "l", "r"}, want: with(func(o *Options) { o.Config, o.Args = "/x", []string{"l", "r"} })},
		{name: "short attached", in: []string{"-L3", "-ofid", "l", "r"}, want: with(func(o *Options) { o.MaxLines, o.Out, o.Args = 3, "fid", []string{"l", "r"} })},
		{name: "cluster", in: []string{"-rDvL", "2", "l", "r"}, want: with(func(o *Options) {
			o.Raw, o.Debuggex, o.Verbose, o.MaxLines, o.Args = true, true, 1, 2, []string{"l", "r"}
		})},
		{name: "prefix", in: []string{"--print-all-mi", "--no-ch", "--VD", "l", "r"}, want: with(func(o *Options) {
			o.PrintAllMissed, o.NoCheckAll, o.VerboseDate, o.Args = true, true, true, []string{"l", "r"}
		})},
		{name: "TZ alias", in: []string{"--TZ", "UTC", "--timezone=+0100"}, want: with(func(o *Options) { o.Timezone = "+0100" })},
		{name: "verbosity", in: []string{"-vvv", "--verbosity=1"}, want: with(func(o *Options) { o.Verbose = 1 })},
		{name: "hex int", in: []string{"-L", "0x10"}, want: with(func(o *Options) { o.MaxLines = 16 })},
		{name: "dash dash", in: []string{"--", "-v", "--x"}, want: with(func(o *Options) { o.Args = []string{"-v", "--x"} })},
		{name: "lone dash is positional", in: []string{"-", "r"}, want: with(func(o *Options) { o.Args = []string{"-", "r"} })},
		{name: "journalmatch", in: []string{"-m", "_SYSTEMD_UNIT=sshd.service + _COMM=sshd"}, want: with(func(o *Options) {
			o.JournalMatch, o.JournalMatchSet = "_SYSTEMD_UNIT=sshd.service + _COMM=sshd", true
		})},
		{name: "bad int", in: []string{"-L", "abc"}, wantErr: "option -L: invalid integer value: 'abc'"},
		{name: "bad long int", in: []string{"--maxlines=1.5"}, wantErr: "option --maxlines: invalid integer value: '1.5'"},
		{name: "missing value", in: []string{"-d"}, wantErr: "-d option requires 1 argument"},
		{name: "missing long value", in: []string{"--out"}, wantErr: "--out option requires 1 argument"},
		{name: "ambiguous", in: []string{"--print-no"}, wantErr: "ambiguous option: --print-no (--print-no-ignored, --print-no-missed?)"},
		{name: "unknown", in: []string{"--bogus"}, wantErr: "no such option: --bogus"},
		{name: "unknown short", in: []string{"-j"}, wantErr: "no such option: -j"},
		{name: "flag with value", in: []string{"--raw=1"}, wantErr: "--raw option does not take a value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseArgs(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseArgs(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseArgs(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseArgs(%q) =\n%+v\nwant\n%+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{name: "ok", in: []string{"a", "b"}},
		{name: "ok with ignore", in: []string{"a", "b", "c"}},
		{name: "one arg", in: []string{"a"}, want: []string{"ERROR: provide both <LOG> and <REGEX>."}},
		{name: "four args", in: []string{"a", "b", "c", "d"}, want: []string{"ERROR: provide both <LOG> and <REGEX>."}},
		{name: "both exclusive", in: []string{"--print-no-missed", "--print-all-missed", "--print-no-ignored", "--print-all-ignored"}, want: []string{
			"ERROR: --print-no-missed and --print-all-missed are mutually exclusive.",
			"ERROR: --print-no-ignored and --print-all-ignored are mutually exclusive.",
			"ERROR: provide both <LOG> and <REGEX>.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseArgs(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := o.Validate(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestShellSplit(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "words", in: "_SYSTEMD_UNIT=sshd.service + _COMM=sshd", want: []string{"_SYSTEMD_UNIT=sshd.service", "+", "_COMM=sshd"}},
		{name: "quotes", in: `a="b c" 'd e'f`, want: []string{"a=b c", "d ef"}},
		{name: "escape", in: `a\ b "x\"y"`, want: []string{"a b", `x"y`}},
		{name: "unterminated", in: `"abc`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := shellSplit(tt.in)
			if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("shellSplit(%q) = %q, %v; want %q, err %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseFilterSpec(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{name: "plain", in: "sshd", want: "sshd None"},
		{name: "args", in: "sshd[mode=aggressive, port=\"22, 2222\"]", want: "sshd {'mode': 'aggressive', 'port': '22, 2222'}"},
		{name: "single quotes", in: "x[a='1]2']", want: "x {'a': '1]2'}"},
		{name: "repeat", in: "x[a=1,a=2]", want: "x {'a': '2'}"},
		{name: "unclosed", in: "sshd[mode=aggressive", wantErr: true},
		{name: "garbage", in: "sshd[!!]", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, d, err := parseFilterSpec(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseFilterSpec(%q) error = %v", tt.in, err)
			}
			if err != nil {
				return
			}
			var dr any = d
			if d == nil {
				dr = nil
			}
			if got := name + " " + pyRepr(dr); got != tt.want {
				t.Errorf("parseFilterSpec(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzParseArgs checks that any command line parses or fails with a
// UsageError, and that a parsed one re-parses from its positional
// arguments after "--".
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{"log\x00re", "-vv\x00l\x00r\x00i", "--datepattern=^{DATE}\x00l\x00r", "-L3\x00-ofid",
		"-rDvL\x002", "--print-all-mi\x00--no-ch", "--\x00-v", "-L\x00abc", "--print-no", "--TZ\x00UTC", "-m\x00a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		o, err := ParseArgs(args)
		if err != nil {
			if _, ok := err.(*UsageError); !ok {
				t.Fatalf("ParseArgs(%q) error %T, want *UsageError", args, err)
			}
			return
		}
		o2, err := ParseArgs(append([]string{"--"}, o.Args...))
		if err != nil || !reflect.DeepEqual(o2.Args, o.Args) {
			t.Fatalf("positional args %q did not survive re-parsing: %q, %v", o.Args, o2.Args, err)
		}
		_ = o.Validate()
	})
}
