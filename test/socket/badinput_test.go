package socket

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// rssBoundKiB bounds the server's resident memory after hostile input:
// the framing cap is 32 MiB, so an oversized message costs at most the
// reader's buffer (up to twice the cap while it grows) until the garbage
// collector returns it, however much a peer sends.
const rssBoundKiB = 256 << 10

// exc is the repr of the failure reply (1, cls(args…)).
func exc(cls string, args ...any) string {
	return pyval.Repr(pyval.Tuple{int64(1), pyval.NewException(cls, args...)})
}

// loadErr is the repr of fail2ban's bare load-error reply.
func loadErr(msg string) string { return pyval.Repr("ERROR: " + msg) }

func pickled(t *testing.T, v any) []byte {
	t.Helper()
	b, err := protocol.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// nested returns the pickle of ['echo', [[[…]]]] with depth lists nested
// in one another, and the value it decodes to.
func nested(depth int) ([]byte, any) {
	in := "\x80\x04]\x8c\x04echoa" + strings.Repeat("]", depth) + strings.Repeat("a", depth) + "."
	var v any = []any{}
	for range depth - 1 {
		v = []any{v}
	}
	return []byte(in), []any{"echo", v}
}

// laughs builds ['echo', x] where x is a container of fan references to a
// container of fan references … levels deep, through the memo: a few
// hundred bytes on the wire, fan^levels leaves for anything that walks it
// as a tree (Repr, the encoder). open and close are the container's
// opcodes: "](" "e" for lists, "(" "t" for tuples.
func laughs(fan, levels int, open, close string, leafLen int) []byte {
	var b bytes.Buffer
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(leafLen))
	b.WriteString("\x80\x04]\x8c\x04echoa")
	b.WriteString("X" + string(n[:]) + strings.Repeat("L", leafLen) + "\x940") // memo 0, popped
	for l := range levels {
		b.WriteString(open)
		for range fan {
			b.WriteString("h" + string(byte(l)))
		}
		b.WriteString(close + "\x94") // memo l+1
		if l < levels-1 {
			b.WriteString("0")
		}
	}
	b.WriteString("a.")
	return b.Bytes()
}

// laughsValue is what laughs(fan, levels, …) decodes to, as the echo reply.
func laughsValue(fan, levels, leafLen int) []any {
	var v any = strings.Repeat("L", leafLen)
	for range levels {
		t := make(pyval.Tuple, fan)
		for i := range t {
			t[i] = v
		}
		v = t
	}
	return []any{v}
}

// evilPickles are requests that name classes whose construction would run
// a command creating marker: fail2ban (CPython's pickle) would execute
// them; f2b must refuse them without running anything.
func evilPickles(t *testing.T, marker string) map[string][]byte {
	cmd := "touch " + marker
	n := func(s string) string { return string([]byte{byte(len(s))}) + s }
	le32 := func(s string) string {
		var l [4]byte
		binary.LittleEndian.PutUint32(l[:], uint32(len(s)))
		return string(l[:]) + s
	}
	m := map[string][]byte{
		"GLOBAL os.system proto0":           []byte("cos\nsystem\n(S'" + cmd + "'\ntR."),
		"GLOBAL posix.system proto2":        []byte("\x80\x02cposix\nsystem\nX" + le32(cmd) + "\x85R."),
		"STACK_GLOBAL subprocess.Popen":     []byte("\x80\x04\x8c" + n("subprocess") + "\x8c\x05Popen\x93](\x8c" + n("touch") + "\x8c" + n(marker) + "e\x85R."),
		"INST os.system":                    []byte("(S'" + cmd + "'\nios\nsystem\n."),
		"OBJ builtins.eval":                 []byte("\x80\x02(cbuiltins\neval\nX" + le32("__import__('os').system('"+cmd+"')") + "o."),
		"NEWOBJ subprocess.Popen":           []byte("\x80\x02csubprocess\nPopen\n](X" + le32("touch") + "X" + le32(marker) + "e\x85\x81."),
		"reduce inside an echo request":     []byte("\x80\x04](\x8c\x04echocos\nsystem\nX" + le32(cmd) + "\x85Re."),
		"BUILD on a global":                 []byte("\x80\x02cos\nsystem\n}b."),
		"EXT1 (copyreg extension registry)": []byte("\x80\x02\x82\x01."),
		"PERSID":                            []byte("P" + cmd + "\n."),
		"BINPERSID":                         []byte("\x80\x02X" + le32(cmd) + "Q."),
	}
	// The same objects as CPython's pickle.dumps writes them, protocols 0–5.
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		for k, v := range pythonEvil(t, cmd, marker) {
			m[k] = v
		}
	} else {
		t.Log("/usr/bin/python3 missing: only hand-built malicious pickles")
	}
	return m
}

func pythonEvil(t *testing.T, cmd, marker string) map[string][]byte {
	t.Helper()
	script := `
import os, pickle, subprocess, sys
cmd, marker = sys.argv[1], sys.argv[2]
class System:
    def __reduce__(self): return (os.system, (cmd,))
class Popen:
    def __reduce__(self): return (subprocess.Popen, (['touch', marker],))
for p in range(6):
    for name, obj in (('os.system', System()), ('subprocess.Popen', Popen()), ('in a request list', ['echo', System()])):
        sys.stdout.write('%s proto%d\t%s\n' % (name, p, pickle.dumps(obj, p).hex()))
`
	out, err := exec.Command("/usr/bin/python3", "-c", script, cmd, marker).Output()
	if err != nil {
		t.Fatalf("python3 pickle.dumps: %v", err)
	}
	m := map[string][]byte{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		name, hexed, _ := strings.Cut(line, "\t")
		b := make([]byte, len(hexed)/2)
		for i := range b {
			var x byte
			for _, c := range hexed[2*i : 2*i+2] {
				x = x<<4 | byte(strings.IndexRune("0123456789abcdef", c))
			}
			b[i] = x
		}
		m["python "+name] = b
	}
	return m
}

// badInput is one malformed or hostile request (without END).
type badInput struct {
	name string
	in   []byte
	// want is the repr of the reply; where it is set, fail2ban 1.0.2
	// gives the same reply (TestBadInput_SameAsFail2ban checks it).
	want string
	// wantErr, when want is empty, accepts any error reply: a bare
	// "ERROR: …" string or a (1, exception) tuple. These are the inputs
	// where f2b deliberately differs (size and nesting caps).
	wantErr bool
}

func badInputs(t *testing.T) []badInput {
	ping := pickled(t, []any{"ping"})
	deep, _ := nested(100000)
	shallow, shallowVal := nested(50)
	return []badInput{
		{name: "not a pickle", in: []byte("not a pickle"), want: loadErr("invalid load key, 'n'.")},
		{name: "garbage bytes", in: []byte{0xff, 0x00, 0x13, 0x37}, want: loadErr(`invalid load key, '\xff'.`)},
		{name: "empty message", in: nil, want: loadErr("Ran out of input")},
		{name: "truncated pickle", in: ping[:len(ping)-3], want: loadErr("pickle data was truncated")},
		{name: "memo miss", in: []byte("\x80\x04he."), want: loadErr("Memo value not found at index 101")},
		{name: "claims an exabyte string", in: []byte("\x80\x04\x8d\xff\xff\xff\xff\xff\xff\xff\x0fabc."), want: loadErr("pickle data was truncated")},
		{name: "claims a 2 GiB long", in: []byte("\x80\x04\x8b\xff\xff\xff\x7fabc."), want: loadErr("pickle data was truncated")},
		{name: "a million MARKs", in: bytes.Repeat([]byte("("), 1<<20), wantErr: true},
		{name: "nesting beyond the cap", in: deep, wantErr: true},
		{name: "nesting under the cap", in: shallow, want: ok(shallowVal.([]any)[1:])},
		{name: "str instead of a list", in: pickled(t, "ping"), want: exc("Exception", "Invalid command")},
		{name: "empty str", in: pickled(t, ""), want: exc("IndexError", "string index out of range")},
		{name: "None", in: pickled(t, nil), want: exc("TypeError", "'NoneType' object is not subscriptable")},
		{name: "int", in: pickled(t, int64(7)), want: exc("TypeError", "'int' object is not subscriptable")},
		{name: "empty list", in: pickled(t, []any{}), want: exc("IndexError", "list index out of range")},
		{name: "dict", in: pickled(t, pyval.Dict{{Key: "a", Value: int64(1)}}), want: exc("KeyError", int64(0))},
		{name: "bytes command", in: pickled(t, []any{pyval.Bytes("ping")}), want: exc("Exception", "Invalid command")},
		{name: "unknown command", in: pickled(t, []any{"rm", "-rf", "/"}), want: exc("Exception", "Invalid command")},
		{name: "unknown jail", in: pickled(t, []any{"status", "nosuchjail"}), want: pyval.Repr(pyval.Tuple{int64(1), &pyval.Exception{Module: "fail2ban.exceptions", Name: "UnknownJailException", Args: []any{"nosuchjail"}}})},
		{name: "shared lists (billion laughs)", in: laughs(10, 9, "](", "e", 4), wantErr: true},
		{name: "shared tuples (billion laughs)", in: laughs(10, 9, "(", "t", 4), wantErr: true},
		{name: "shared long string", in: laughs(10, 5, "(", "t", 4096), wantErr: true},
		{name: "modest sharing is served", in: laughs(10, 2, "(", "t", 4), want: ok(laughsValue(10, 2, 4))},
	}
}

func TestBadInput_RepliesAndRecovery(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	tests := badInputs(t)
	rc := e.dial()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc.send(append(append([]byte(nil), tt.in...), protocol.End...))
			v, err := rc.reply()
			if err != nil {
				t.Fatalf("no reply: %v", err)
			}
			if err := checkReply(v, tt.want); err != nil {
				t.Error(err)
			}
			rc.wantPing()
		})
	}
	e.dial().wantPing()
	if rss := p.rssKiB(t); rss > rssBoundKiB {
		t.Errorf("server RSS %d KiB after bad input, bound %d KiB", rss, rssBoundKiB)
	}
}

// checkReply compares a reply with the exact repr want; with want empty,
// it accepts any error reply (bare "ERROR: …" or (1, exc)).
func checkReply(v any, want string) error {
	got := pyval.Repr(v)
	if want != "" {
		if got != want {
			return fmt.Errorf("got %.300s, want %s", got, want)
		}
		return nil
	}
	if s, isStr := v.(string); isStr && strings.HasPrefix(s, "ERROR: ") {
		return nil
	}
	if t, isTuple := v.(pyval.Tuple); isTuple && len(t) == 2 && t[0] == int64(1) {
		return nil
	}
	return fmt.Errorf("got %.300s, want an error reply", got)
}

func TestBadInput_MaliciousPicklesRunNothing(t *testing.T) {
	e := newEnv(t)
	e.start()
	marker := filepath.Join(e.dir, "pwned")
	evil := evilPickles(t, marker)
	provenByCPython(t, evil, marker)
	rc := e.dial()
	for name, in := range evil {
		t.Run(name, func(t *testing.T) {
			rc.send(append(append([]byte(nil), in...), protocol.End...))
			v, err := rc.reply()
			if err != nil {
				t.Fatalf("no reply: %v", err)
			}
			if s, isStr := v.(string); !isStr || !strings.HasPrefix(s, "ERROR: ") {
				t.Errorf("got %s, want a bare load error", pyval.Repr(v))
			}
			if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("%s exists: the pickle was executed", marker)
			}
			rc.wantPing()
		})
	}
	e.dial().wantPing()
}

// provenByCPython is the control of TestBadInput_MaliciousPicklesRunNothing:
// the hand-built pickles that name a callable really do run the command
// when CPython's pickle.loads reads them, so "no marker" means f2b refused
// them and not that they were broken.
func provenByCPython(t *testing.T, evil map[string][]byte, marker string) {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		return
	}
	const script = `import pickle, sys
r = pickle.loads(bytes.fromhex(sys.argv[1]))
getattr(r, 'wait', lambda: None)()`
	for _, name := range []string{"GLOBAL os.system proto0", "GLOBAL posix.system proto2", "STACK_GLOBAL subprocess.Popen",
		"INST os.system", "OBJ builtins.eval", "reduce inside an echo request"} {
		if out, err := exec.Command("/usr/bin/python3", "-c", script, fmt.Sprintf("%x", evil[name])).CombinedOutput(); err != nil {
			t.Fatalf("control %q: CPython failed to load it: %v\n%s", name, err, out)
		}
		if err := os.Remove(marker); err != nil {
			t.Fatalf("control %q: CPython loaded it without running the command: %v", name, err)
		}
	}
}

// TestBadInput_OversizedMessage sends 64 MiB without and with END: the
// server answers with a load error and closes (the stream cannot be framed
// any more), stays within its memory bound and serves new connections.
func TestBadInput_OversizedMessage(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	big := bytes.Repeat([]byte("A"), 64<<20)
	for _, tt := range []struct {
		name string
		in   []byte
	}{
		{name: "64 MiB then END", in: append(big, protocol.End...)},
		{name: "64 MiB of a valid echo pickle", in: frame(t, []any{"echo", string(big)})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rc := e.dial()
			go rc.c.Write(tt.in) // blocks once the server stops reading
			v, err := rc.reply()
			if err != nil {
				t.Fatalf("no reply: %v", err)
			}
			if s, isStr := v.(string); !isStr || !strings.HasPrefix(s, "ERROR: ") {
				t.Errorf("got %.200s, want a bare load error", pyval.Repr(v))
			}
			// The server closes with our unread bytes pending, so the peer
			// may see a reset instead of an EOF: both are a close.
			if _, err := rc.reply(); !isClosed(err) {
				t.Errorf("connection not closed after an oversized message: %v", err)
			}
			e.dial().wantPing()
			rss := p.rssKiB(t)
			if rss > rssBoundKiB {
				t.Errorf("server RSS %d KiB, bound %d KiB", rss, rssBoundKiB)
			}
			t.Logf("server RSS after the oversized message: %d KiB", rss)
		})
	}
}

// TestBadInput_LargeValidMessage: a big request under the cap is served,
// as fail2ban serves it.
func TestBadInput_LargeValidMessage(t *testing.T) {
	e := newEnv(t)
	e.start()
	rc := e.dial()
	payload := strings.Repeat("x", 8<<20)
	v := rc.request("echo", payload)
	if got, want := pyval.Repr(v), ok([]any{payload}); got != want {
		t.Errorf("echo of 8 MiB: got %d bytes of repr, want %d", len(got), len(want))
	}
	rc.wantPing()
}
