package client

import (
	"errors"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	s := startFake(t)
	c, err := Dial(t.Context(), Options{Socket: s.sock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tests := []struct {
		name string
		in   []any
		want Output
	}{
		{name: "ping", in: cmd("ping"), want: Output{Stdout: "Server replied: pong\n"}},
		{name: "banned", in: cmd("get", "webapp", "banned"), want: Output{Stdout: "['192.0.2.1']\n"}},
		{name: "unknown jail", in: cmd("status", "nojail"), want: Output{Stdout: "Sorry but the jail 'nojail' does not exist\n", Errors: []string{"NOK: ('nojail',)"}, Code: ExitError}},
		{name: "invalid", in: cmd("foo", "bar"), want: Output{Stdout: "Invalid command\n", Errors: []string{"NOK: ('Invalid command',)"}, Code: ExitError}},
		{name: "bare error reply", in: cmd("bare"), want: Output{Errors: []string{"'str' object has no attribute 'args'"}, Code: ExitError}},
		{name: "beautifier fallback", in: cmd("get", "webapp", "banned", "x"), want: Output{Stdout: "['192.0.2.1']\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Run(t.Context(), c, tc.in)
			if got.Stdout != tc.want.Stdout || got.Code != tc.want.Code ||
				strings.Join(got.Errors, "|") != strings.Join(tc.want.Errors, "|") {
				t.Fatalf("Run = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRender_Fallback(t *testing.T) {
	got := Render(cmd("ping"), int64(1), nil)
	if got.Stdout != "11\n" || got.Code != ExitOK || len(got.Warnings) != 1 || got.Errors[0] != "Beautify 1 with ['ping'] failed" {
		t.Fatalf("Render = %+v", got)
	}
	dial := Render(cmd("ping"), nil, &DialError{Socket: "/nonexistent/f2b.sock", Err: errors.New("x")})
	if dial.Code != ExitError || dial.Errors[0] != "Failed to access socket path: /nonexistent/f2b.sock. Is fail2ban running?" {
		t.Fatalf("Render dial error = %+v", dial)
	}
}
