package server_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/action"
	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
	"github.com/f2b/f2b/pkg/server"
)

// fuzzJail is the jail the fuzz server has; the recorded vectors use it.
const fuzzJail = "webapp"

// fuzzSetup configures the one jail through Dispatch, as the config
// stream does.
var fuzzSetup = [][]any{
	{"add", fuzzJail, "polling"},
	{"set", fuzzJail, "maxretry", int64(3)},
	{"set", fuzzJail, "addfailregex", `^<HOST> bad$`},
	{"set", fuzzJail, "addaction", "record"},
	{"set", fuzzJail, "action", "record", "actionban", "ban <ip>"},
	{"set", fuzzJail, "action", "record", "actionunban", "unban <ip>"},
	{"start", fuzzJail},
}

// fuzzSeeds are requests from the command reference, pickled as seeds.
var fuzzSeeds = [][]any{
	{"ping"},
	{"status"},
	{"status", fuzzJail, "short"},
	{"set", fuzzJail, "attempt", "192.0.2.1", "a", "b", "c"},
	{"set", fuzzJail, "banip", "192.0.2.7", "2001:db8::1"},
	{"set", fuzzJail, "unbanip", "--report-absent", "192.0.2.9"},
	{"get", fuzzJail, "banip", "--with-time"},
	{"get", fuzzJail, "actionproperties", "record"},
	{"set", fuzzJail, "bantime", "1x"},
	{"set", fuzzJail, "findtime", int64(600)},
	{"set", fuzzJail, "maxlines", "0"},
	{"set", fuzzJail, "addignoreip", "10.0.0.0/8"},
	{"set", fuzzJail, "datepattern", "{^LN-BEG}"},
	{"set", fuzzJail, "addfailregex", "(?P<x"},
	{"multi-set", fuzzJail, "addfailregex", []any{"^a <HOST>$", "^b <HOST>$"}},
	{"server-stream", []any{[]any{"set", fuzzJail, "maxretry", int64(2)}, "bad"}},
	{"banned", "192.0.2.7"},
	{"unban", "--all"},
	{"set", "loglevel", "NOPE"},
	{"get", "nosuch", "bantime"},
	{"echo", pyval.Dict{{Key: "a", Value: pyval.Tuple{1.5, nil, true}}}},
	{"stop", fuzzJail},
	{"stop"},
	{"reload", "--all", []any{}, []any{}},
	{},
}

// FuzzDispatch feeds arbitrary decoded requests to a server with one
// jail. Nothing may panic, every error must be the *pyval.Exception the
// socket layer pickles, and every result must be picklable or refused
// with an *protocol.EncodeError (which becomes "ERROR: …").
//
// Requests naming "dbfile" are skipped (they would create SQLite files at
// fuzzer-chosen paths) and so is "sleep" (it would only stall the fuzzer).
func FuzzDispatch(f *testing.F) {
	for _, cmd := range fuzzSeeds {
		b, err := protocol.Encode(cmd)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, b := range vectorRequests(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := protocol.Decode(data)
		if err != nil {
			return
		}
		cmd, exc := protocol.Args(req)
		if exc != nil || unsafeForFuzz(cmd) {
			return
		}
		srv := newFuzzServer(t)
		v, err := srv.Dispatch(t.Context(), cmd)
		if err != nil {
			if _, isExc := err.(*pyval.Exception); !isExc {
				t.Fatalf("%s: error %T %v is not a *pyval.Exception", pyval.Repr(cmd), err, err)
			}
			return
		}
		if _, err := protocol.Encode(pyval.Tuple{int64(0), v}); err != nil {
			var ee *protocol.EncodeError
			if !errors.As(err, &ee) {
				t.Fatalf("%s: encoding the result: %v", pyval.Repr(cmd), err)
			}
		}
	})
}

func newFuzzServer(t *testing.T) *server.Server {
	srv := server.New(server.Options{Runner: &action.Recorder{}, OnStop: func() {}})
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	for _, c := range fuzzSetup {
		if _, err := srv.Dispatch(t.Context(), c); err != nil {
			t.Fatalf("setup %s: %v", pyval.Repr(c), err)
		}
	}
	return srv
}

// unsafeForFuzz reports requests the fuzzer must not run; see FuzzDispatch.
func unsafeForFuzz(cmd []any) bool {
	if len(cmd) > 0 && cmd[0] == "sleep" {
		return true
	}
	return mentions(cmd, "dbfile", 0)
}

func mentions(v any, word string, depth int) bool {
	if depth > 64 {
		return true // too deep to inspect cheaply: skip it
	}
	switch x := v.(type) {
	case string:
		return strings.Contains(x, word)
	case []any:
		for _, it := range x {
			if mentions(it, word, depth+1) {
				return true
			}
		}
	case pyval.Tuple:
		return mentions([]any(x), word, depth)
	case pyval.Dict:
		for _, it := range x {
			if mentions(it.Key, word, depth+1) || mentions(it.Value, word, depth+1) {
				return true
			}
		}
	}
	return false
}

// vectorRequests returns the request pickles recorded from the real
// fail2ban-client (hex of pickle + END [+ CLOSE + END]).
func vectorRequests(f *testing.F) [][]byte {
	files, _ := filepath.Glob("../protocol/testdata/vectors/*.request.hex")
	if len(files) == 0 {
		f.Log("no recorded request vectors in ../protocol/testdata/vectors")
	}
	var out [][]byte
	for _, name := range files {
		text, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		raw, err := hex.DecodeString(strings.TrimSpace(string(text)))
		if err != nil {
			f.Fatalf("%s: %v", name, err)
		}
		r := protocol.NewReader(bytes.NewReader(raw), protocol.ReaderOptions{})
		for {
			msg, err := r.Next()
			if err != nil {
				break
			}
			out = append(out, bytes.Clone(msg))
		}
	}
	return out
}
