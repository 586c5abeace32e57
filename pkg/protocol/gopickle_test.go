package protocol

import (
	"encoding/hex"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"

	"github.com/f2b/f2b/pkg/pyval"
)

// TestDecode_AgreesWithGopickle cross-checks our decoder with gopickle, the
// general-purpose Go unpickler, on every well-formed request: the recorded
// vectors and pickles our own encoder writes. The production decoder is
// our own strict one (doc.go says why gopickle is not safe on untrusted
// input); on valid requests both must read the same values.
func TestDecode_AgreesWithGopickle(t *testing.T) {
	var inputs = map[string][]byte{}
	files, _ := filepath.Glob("testdata/vectors/*.request.hex")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := hex.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		// malformed.* is not a pickle at all; the rest are requests.
		if msg, ok := strings.CutSuffix(string(b), End); ok && !strings.HasPrefix(msg, Close) && !strings.HasPrefix(filepath.Base(f), "malformed") {
			inputs[filepath.Base(f)] = []byte(msg)
		}
	}
	for name, v := range map[string]any{
		"nested": []any{"reload", "--all", []any{"--unban"}, []any{[]any{"set", "x", "maxretry", int64(5)}}},
		"types":  []any{"set", "j", "attempt", "2001:db8::1", "ünïcödé", true, nil, 1.5, int64(-7), int64(1) << 40},
		"dict":   []any{"set", "thread", pyval.Dict{{Key: "stacksize", Value: int64(128)}}},
	} {
		b, err := Encode(v)
		if err != nil {
			t.Fatal(err)
		}
		inputs["encoded-"+name] = b
	}
	if len(inputs) < 20 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	for name, b := range inputs {
		ours, err := Decode(b)
		if err != nil {
			t.Errorf("%s: our decoder: %v", name, err)
			continue
		}
		theirs, err := pickle.Loads(string(b))
		if err != nil {
			t.Errorf("%s: gopickle: %v", name, err)
			continue
		}
		if g := fromGopickle(theirs); !pyval.Equal(ours, g) {
			t.Errorf("%s: ours %s, gopickle %s", name, pyval.Repr(ours), pyval.Repr(g))
		}
	}
}

func fromGopickle(v any) any {
	switch x := v.(type) {
	case *types.List:
		out := make([]any, len(*x))
		for i, e := range *x {
			out[i] = fromGopickle(e)
		}
		return out
	case *types.Tuple:
		out := make(pyval.Tuple, len(*x))
		for i, e := range *x {
			out[i] = fromGopickle(e)
		}
		return out
	case *types.Dict:
		out := pyval.Dict{}
		for _, e := range *x {
			out = append(out, pyval.Item{Key: fromGopickle(e.Key), Value: fromGopickle(e.Value)})
		}
		return out
	case int:
		return int64(x)
	case *big.Int:
		return x
	}
	return v
}
