package protocol

import (
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
)

func TestArgs(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		want    []any
		wantErr string
	}{
		{name: "list", in: []any{"ping"}, want: []any{"ping"}},
		{name: "tuple", in: pyval.Tuple{"status", "sshd"}, want: []any{"status", "sshd"}},
		{name: "str", in: "pé", want: []any{"p", "é"}},
		{name: "empty list", in: []any{}, want: []any{}},
		{name: "dict", in: pyval.Dict{{Key: "a", Value: int64(1)}}, wantErr: "KeyError(0)"},
		{name: "int", in: int64(5), wantErr: "TypeError(\"'int' object is not subscriptable\")"},
		{name: "none", in: nil, wantErr: "TypeError(\"'NoneType' object is not subscriptable\")"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, exc := Args(tc.in)
			if tc.wantErr != "" {
				if exc == nil || pyval.Repr(exc) != tc.wantErr {
					t.Fatalf("Args exception = %v, want %s", pyval.Repr(exc), tc.wantErr)
				}
				return
			}
			if exc != nil || !pyval.Equal(got, tc.want) {
				t.Fatalf("Args = %s, %v; want %s", pyval.Repr(got), exc, pyval.Repr(tc.want))
			}
		})
	}
}
