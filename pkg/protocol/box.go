package protocol

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/f2b/f2b/pkg/pyval"
)

// kind is the Python type of a container under construction.
type kind uint8

const (
	kList kind = iota
	kTuple
	kDict
	kSet
	kFrozenSet
)

func (k kind) String() string {
	return [...]string{"list", "tuple", "dict", "set", "frozenset"}[k]
}

// box is a container while the pickle runs. Python containers are shared
// by reference through the memo and lists may be appended to after being
// stored elsewhere, so containers stay boxes until STOP and are converted
// to pyval values once (finalize), which also catches recursion and keeps
// shared sub-values shared instead of copied.
type box struct {
	kind   kind
	state  uint8 // boxNew, boxVisiting, boxDone
	height int   // nesting height once done
	items  []any // dicts: key, value, key, value…
	keys   map[string]int
	final  any
}

const (
	boxNew uint8 = iota
	boxVisiting
	boxDone
)

// globalRef is a class named by GLOBAL or STACK_GLOBAL (reply mode only).
type globalRef struct{ module, name string }

// add inserts a set element or sets a dict item with Python's rule: an
// equal key keeps its position and takes the new value.
func (d *Decoder) add(b *box, key, value any) error {
	key, err := d.hashable(key)
	if err != nil {
		return err
	}
	hk := hashKey(key)
	if i, ok := b.keys[hk]; ok {
		if b.kind == kDict {
			b.items[i+1] = value
		}
		return nil
	}
	if b.keys == nil {
		b.keys = make(map[string]int)
	}
	b.keys[hk] = len(b.items)
	b.items = append(b.items, key)
	if b.kind == kDict {
		b.items = append(b.items, value)
	}
	return nil
}

// hashable returns the final form of v if Python could hash it.
func (d *Decoder) hashable(v any) (any, error) {
	b, ok := v.(*box)
	if !ok {
		return v, nil
	}
	if b.kind != kTuple && b.kind != kFrozenSet {
		return nil, d.failf("unhashable type: '%s'", b.kind.String())
	}
	for _, it := range b.items {
		if _, err := d.hashable(it); err != nil {
			return nil, err
		}
	}
	return d.finalize(b, 0)
}

// hashKey encodes a hashable final value so that Python-equal values
// (1, 1.0, True; equal tuples; equal frozensets) get equal keys.
func hashKey(v any) string {
	var sb strings.Builder
	writeHashKey(&sb, v)
	return sb.String()
}

func writeHashKey(sb *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		sb.WriteString("N")
	case bool:
		sb.WriteString(map[bool]string{false: "i0", true: "i1"}[x])
	case int64:
		sb.WriteString("i" + strconv.FormatInt(x, 10))
	case *big.Int:
		sb.WriteString("i" + x.String())
	case float64:
		writeFloatKey(sb, x)
	case string:
		sb.WriteString("s" + strconv.Itoa(len(x)) + ":" + x)
	case pyval.Bytes:
		sb.WriteString("b" + strconv.Itoa(len(x)) + ":" + string(x))
	case pyval.Tuple:
		writeSeqKey(sb, "t", x)
	case pyval.FrozenSet:
		keys := make([]string, len(x))
		for i, it := range x {
			keys[i] = hashKey(it)
		}
		slices.Sort(keys)
		sb.WriteString("F" + strconv.Itoa(len(keys)) + "(" + strings.Join(keys, ",") + ")")
	case globalRef:
		sb.WriteString("g" + x.module + "." + x.name + "\x00")
	default: // exceptions hash by identity
		fmt.Fprintf(sb, "o%p", x)
	}
}

func writeFloatKey(sb *strings.Builder, f float64) {
	if !math.IsInf(f, 0) && !math.IsNaN(f) && f == math.Trunc(f) {
		i, _ := big.NewFloat(f).Int(nil)
		sb.WriteString("i" + i.String())
		return
	}
	sb.WriteString("f" + strconv.FormatFloat(f, 'g', -1, 64))
}

func writeSeqKey(sb *strings.Builder, tag string, items []any) {
	sb.WriteString(tag + strconv.Itoa(len(items)) + "(")
	for _, it := range items {
		writeHashKey(sb, it)
		sb.WriteByte(',')
	}
	sb.WriteByte(')')
}

// finalize converts boxes below v into pyval values.
func (d *Decoder) finalize(v any, depth int) (any, error) {
	switch x := v.(type) {
	case *box:
		return d.finalizeBox(x, depth)
	case globalRef:
		return nil, d.failf("cannot use class %s.%s as a value", x.module, x.name)
	}
	return v, nil
}

func (d *Decoder) finalizeBox(b *box, depth int) (any, error) {
	switch b.state {
	case boxVisiting:
		return nil, d.fail("recursive structures are not supported")
	case boxDone:
		if depth+b.height > d.opts.MaxDepth {
			return nil, d.tooDeep()
		}
		return b.final, nil
	}
	if depth >= d.opts.MaxDepth {
		return nil, d.tooDeep()
	}
	b.state = boxVisiting
	h := 0
	for i, it := range b.items {
		f, err := d.finalize(it, depth+1)
		if err != nil {
			return nil, err
		}
		b.items[i] = f
		if c, ok := it.(*box); ok {
			h = max(h, c.height)
		}
	}
	b.height = h + 1
	b.final = b.convert()
	b.state = boxDone
	b.keys = nil
	return b.final, nil
}

func (d *Decoder) tooDeep() error {
	return d.failf("structure nested deeper than %d levels", d.opts.MaxDepth)
}

// convert builds the pyval value from finalized items.
func (b *box) convert() any {
	if b.items == nil {
		b.items = []any{}
	}
	switch b.kind {
	case kTuple:
		return pyval.Tuple(b.items)
	case kDict:
		dict := make(pyval.Dict, len(b.items)/2)
		for i := range dict {
			dict[i] = pyval.Item{Key: b.items[2*i], Value: b.items[2*i+1]}
		}
		return dict
	case kSet:
		return pyval.Set(b.items)
	case kFrozenSet:
		return pyval.FrozenSet(b.items)
	}
	return b.items
}
