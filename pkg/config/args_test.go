package config

import (
	"reflect"
	"testing"
)

func TestArgs(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantName string
		want     []Arg
		wantErr  bool
	}{
		{name: "quoted comma", in: `sshd[mode=aggressive, foo="a,b"]`, wantName: "sshd", want: []Arg{{"mode", "aggressive"}, {"foo", "a,b"}}},
		{name: "quotes and spaces", in: `x[a='q"q', b="it's", c= spaced value , d=]`, wantName: "x",
			want: []Arg{{"a", `q"q`}, {"b", "it's"}, {"c", "spaced value"}, {"d", ""}}},
		{name: "groups", in: "x[a=1][b=2]", wantName: "x", want: []Arg{{"a", "1"}, {"b", "2"}}},
		{name: "spaced groups", in: "x[a=1] [b=2]", wantName: "x", want: []Arg{{"a", "1"}, {"b", "2"}}},
		{name: "value with equals", in: "x[a==1]", wantName: "x", want: []Arg{{"a", "=1"}}},
		{name: "one option with spaces", in: "x[a=1 b=2]", wantName: "x", want: []Arg{{"a", "1 b=2"}}},
		{name: "name not stripped", in: "sshd [mode=x]", wantName: "sshd ", want: []Arg{{"mode", "x"}}},
		{name: "empty list", in: "x[]", wantName: "x"},
		{name: "last wins", in: "x[a=1, a=2]", wantName: "x", want: []Arg{{"a", "2"}}},
		{name: "double comma", in: "x[a=1,,b=2]", wantErr: true},
		{name: "stray bracket", in: "x[a=b]c]", wantErr: true},
		{name: "space before equals", in: "x[ a = 1 ]", wantErr: true},
		{name: "unbalanced", in: "x[a=1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, got, err := Args(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Args(%q) err = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if name != tt.wantName || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Args(%q) = %q %v, want %q %v", tt.in, name, got, tt.wantName, tt.want)
			}
		})
	}
}

func TestSplitActions(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "three entries", in: "iptables-multiport[name=SSH, port=\"ssh,sftp\", protocol=tcp]\n sendmail-whois[name=SSH, dest=\"a@b\"]  other",
			want: []string{"iptables-multiport[name=SSH, port=\"ssh,sftp\", protocol=tcp]\n", "sendmail-whois[name=SSH, dest=\"a@b\"] ", "other"}},
		{name: "group on next line", in: "x[a=1]\n  [b=2]", want: []string{"x[a=1]\n  [b=2]"}},
		{name: "empty", in: "", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitActions(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("splitActions(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
