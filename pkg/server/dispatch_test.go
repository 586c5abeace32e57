package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/action"
	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// newTestServer returns a server with one running jail "web" on a temp log
// file, actions recorded instead of run.
func newTestServer(t *testing.T) (*Server, *action.Recorder) {
	t.Helper()
	rec := &action.Recorder{}
	s := New(Options{Runner: rec})
	logf := filepath.Join(t.TempDir(), "web.log")
	os.WriteFile(logf, nil, 0o644)
	stream := [][]any{
		{"add", "web", "polling"},
		{"set", "web", "usedns", "no"},
		{"multi-set", "web", "addfailregex", []any{`^<HOST> bad$`}},
		{"set", "web", "maxretry", int64(3)},
		{"set", "web", "findtime", "10m"},
		{"set", "web", "bantime", "1h"},
		{"set", "web", "addlogpath", logf, "head"},
		{"set", "web", "addaction", "rec"},
		{"multi-set", "web", "action", "rec", []any{
			[]any{"actionban", "ban <ip>"}, []any{"actionunban", "unban <ip>"},
		}},
		{"start", "web"},
	}
	if err := s.ApplyStream(t.Context(), stream); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	return s, rec
}

// reprReply renders a reply (or error) the way tests compare them.
func reprReply(v any, err error) string {
	if err != nil {
		return "ERR " + pyval.Repr(asException(err))
	}
	return pyval.Repr(plain(v))
}

// plain turns protocol.IPAddr values into strings for Repr.
func plain(v any) any {
	switch x := v.(type) {
	case protocol.IPAddr:
		return string(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case pyval.Tuple:
		return pyval.Tuple(plain([]any(x)).([]any))
	case pyval.Dict:
		out := make(pyval.Dict, len(x))
		for i, it := range x {
			out[i] = pyval.Item{Key: plain(it.Key), Value: plain(it.Value)}
		}
		return out
	}
	return v
}

func TestDispatch(t *testing.T) {
	s, rec := newTestServer(t)
	tests := []struct {
		name string
		in   []any
		want string
	}{
		{name: "ping", in: []any{"ping", 0.1}, want: `'pong'`},
		{name: "echo", in: []any{"echo", "a", int64(1)}, want: `['a', 1]`},
		{name: "empty", in: []any{}, want: `ERR IndexError('list index out of range')`},
		{name: "unknown", in: []any{"foo"}, want: `ERR Exception('Invalid command')`},
		{name: "status", in: []any{"status"}, want: `[('Number of jail', 1), ('Jail list', 'web')]`},
		{name: "status-too-many", in: []any{"status", "a", "b", "c"}, want: `ERR Exception('Invalid command (no status)')`},
		{name: "unknown-jail", in: []any{"status", "nope"}, want: `ERR UnknownJailException('nope')`},
		{name: "get-maxretry", in: []any{"get", "web", "maxretry"}, want: `3`},
		{name: "get-findtime", in: []any{"get", "web", "findtime"}, want: `600`},
		{name: "get-bantime", in: []any{"get", "web", "bantime"}, want: `3600`},
		{name: "get-usedns", in: []any{"get", "web", "usedns"}, want: `'no'`},
		{name: "get-ignorecommand", in: []any{"get", "web", "ignorecommand"}, want: `False`},
		{name: "get-actions", in: []any{"get", "web", "actions"}, want: `['rec']`},
		{name: "get-action-prop", in: []any{"get", "web", "action", "rec", "actionban"}, want: `'ban <ip>'`},
		{name: "get-action-unknown", in: []any{"get", "web", "action", "nope", "actionban"}, want: `ERR KeyError('Invalid Action name: nope')`},
		{name: "set-maxretry-bad", in: []any{"set", "web", "maxretry", "abc"}, want: `ERR ValueError("invalid literal for int() with base 10: 'abc'")`},
		{name: "set-idle-bad", in: []any{"set", "web", "idle", "maybe"}, want: `ERR Exception("Invalid idle option, must be 'on' or 'off'")`},
		{name: "set-unknown", in: []any{"set", "web", "bogus", "1"}, want: `ERR Exception("Invalid command 'bogus' (no set action or not yet implemented)")`},
		{name: "get-unknown", in: []any{"get", "web", "bogus"}, want: `ERR Exception('Invalid command (no get action or not yet implemented)')`},
		{name: "banip", in: []any{"set", "web", "banip", "192.0.2.1", "2001:db8::1"}, want: `2`},
		{name: "banip-again", in: []any{"set", "web", "banip", "192.0.2.1"}, want: `0`},
		{name: "banned", in: []any{"get", "web", "banned"}, want: `['192.0.2.1', '2001:db8::1']`},
		{name: "banned-one", in: []any{"get", "web", "banned", "192.0.2.1"}, want: `1`},
		{name: "banned-many", in: []any{"get", "web", "banned", "192.0.2.1", "198.51.100.1"}, want: `[1, 0]`},
		{name: "global-banned", in: []any{"banned"}, want: `[{'web': ['192.0.2.1', '2001:db8::1']}]`},
		{name: "unbanip-absent", in: []any{"set", "web", "unbanip", "--report-absent", "198.51.100.9"}, want: `ERR ValueError("not banned: ['198.51.100.9']")`},
		{name: "unbanip", in: []any{"set", "web", "unbanip", "192.0.2.1"}, want: `1`},
		{name: "unban-all", in: []any{"unban", "--all"}, want: `1`},
		{name: "attempt", in: []any{"set", "web", "attempt", "198.51.100.5", "m1", "m2", "m3"}, want: `1`},
		{name: "addignoreip", in: []any{"set", "web", "addignoreip", "10.0.0.0/8", "203.0.113.5"}, want: `['10.0.0.0/8', '203.0.113.5']`},
		{name: "delignoreip-missing", in: []any{"set", "web", "delignoreip", "1.2.3.4"}, want: `ERR ValueError('list.remove(x): x not in list')`},
		{name: "set-dbfile-none", in: []any{"set", "dbfile", "None"}, want: `None`},
		{name: "get-dbpurgeage-nodb", in: []any{"get", "dbpurgeage"}, want: `None`},
		{name: "findtime-bad", in: []any{"set", "web", "findtime", "1x"}, want: `ERR SyntaxError('invalid decimal literal', ('<string>', 1, 1, '1x', 1, 1))`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reprReply(s.Dispatch(t.Context(), tt.in)); got != tt.want {
				t.Errorf("%s\n got %s\nwant %s", pyval.Repr(tt.in), got, tt.want)
			}
		})
	}
	// The attempt with three messages reached maxretry 3: it is banned
	// by the jail's actions thread.
	var scripts string
	for range 200 {
		scripts = strings.Join(rec.Scripts(), "\n")
		if strings.Contains(scripts, "ban 198.51.100.5") {
			break
		}
		s.Dispatch(t.Context(), []any{"sleep", 0.01})
	}
	if !strings.Contains(scripts, "ban 198.51.100.5") {
		t.Errorf("attempt x3 did not ban; scripts:\n%s", scripts)
	}
}

// TestDispatch_QuietStream: set commands inside a stream return None.
func TestDispatch_QuietStream(t *testing.T) {
	s, _ := newTestServer(t)
	v, err := s.Dispatch(t.Context(), []any{"server-stream", []any{[]any{"set", "web", "maxretry", int64(9)}}})
	if v != nil || err != nil {
		t.Fatalf("server-stream = %v, %v", v, err)
	}
	if got := reprReply(s.Dispatch(t.Context(), []any{"get", "web", "maxretry"})); got != "9" {
		t.Errorf("maxretry after stream = %s", got)
	}
	_, err = s.Dispatch(t.Context(), []any{"server-stream", []any{
		[]any{"set", "web", "maxretry", "x"}, []any{"set", "web", "maxretry", int64(4)}}})
	if err == nil {
		t.Fatal("a failing command must abort server-stream")
	}
	if got := reprReply(s.Dispatch(t.Context(), []any{"get", "web", "maxretry"})); got != "9" {
		t.Errorf("commands after the failure ran: maxretry = %s", got)
	}
}

func TestSkipJails(t *testing.T) {
	stream := [][]any{
		{"set", "loglevel", "INFO"},
		{"add", "a", "auto"}, {"set", "a", "maxretry", int64(1)},
		{"add", "b", "auto"}, {"multi-set", "b", "addfailregex", []any{"x"}},
		{"start", "a"}, {"start", "b"},
	}
	got := SkipJails(stream, "b")
	want := `[['set', 'loglevel', 'INFO'], ['add', 'a', 'auto'], ['set', 'a', 'maxretry', 1], ['start', 'a']]`
	l := make([]any, len(got))
	for i, c := range got {
		l[i] = c
	}
	if pyval.Repr(l) != want {
		t.Errorf("SkipJails = %s\nwant %s", pyval.Repr(l), want)
	}
}
