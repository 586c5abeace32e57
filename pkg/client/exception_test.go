package client

import (
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

func f2bExc(name string, args ...any) *pyval.Exception {
	return &pyval.Exception{Module: "fail2ban.exceptions", Name: name, Args: args}
}

var errorCases = []struct {
	name string
	in   *pyval.Exception
	want string
}{
	{name: "unknown jail", in: f2bExc("UnknownJailException", "nojail"), want: "Sorry but the jail 'nojail' does not exist"},
	{name: "duplicate jail", in: f2bExc("DuplicateJailException", "sshd"), want: "The jail 'sshd' already exists"},
	{name: "index error", in: pyval.NewException("IndexError", "list index out of range"), want: "Sorry but the command is invalid"},
	{name: "invalid command", in: pyval.NewException("Exception", "Invalid command"), want: "Invalid command"},
	{name: "key error quotes", in: pyval.NewException("KeyError", "Invalid Action name: nosuch"), want: "'Invalid Action name: nosuch'"},
	{name: "key error int", in: pyval.NewException("KeyError", int64(0)), want: "0"},
	{name: "value error", in: pyval.NewException("ValueError", "not banned: ['198.51.100.9']"), want: "not banned: ['198.51.100.9']"},
	{name: "file not found", in: pyval.NewException("FileNotFoundError", int64(2), "No such file or directory", "/x.log"), want: "[Errno 2] No such file or directory: '/x.log'"},
	{name: "oserror two args", in: pyval.NewException("OSError", int64(13), "Permission denied"), want: "[Errno 13] Permission denied"},
	{name: "syntax error", in: pyval.NewException("SyntaxError", "invalid decimal literal", tup("<string>", int64(1), int64(2), "1x", int64(1), int64(2))), want: "invalid decimal literal (<string>, line 1)"},
	{name: "no args", in: pyval.NewException("RuntimeError"), want: ""},
	{name: "two args", in: pyval.NewException("ValueError", "a", int64(1)), want: "('a', 1)"},
	{name: "regex exception", in: &pyval.Exception{Module: "fail2ban.server.failregex", Name: "RegexException", Args: []any{"No failure-id group in 'x'"}}, want: "No failure-id group in 'x'"},
}

func TestBeautifyError(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := BeautifyError(tc.in); got != tc.want {
				t.Fatalf("BeautifyError = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestBeautifyError_Oracle compares with fail2ban's beautifyError and
// with the NOK line its client logs.
func TestBeautifyError_Oracle(t *testing.T) {
	needFail2ban(t)
	var rows []pyval.Tuple
	for _, tc := range errorCases {
		rows = append(rows, tup([]any{"x"}, tc.in, true))
	}
	outs := runBeautifyOracle(t, rows)
	for i, tc := range errorCases {
		if got := BeautifyError(tc.in); got != outs[i].Out {
			t.Errorf("%s: BeautifyError = %q, fail2ban prints %q", tc.name, got, outs[i].Out)
		}
		nok := (&ServerError{Exc: tc.in}).NOK()
		if nok != outs[i].NOK {
			t.Errorf("%s: NOK = %q, fail2ban logs %q", tc.name, nok, outs[i].NOK)
		}
	}
}
