package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestODict checks order, overwrite and look-up both below and above the
// size where a dict gets an index, and that copies and merges stay apart.
func TestODict(t *testing.T) {
	for _, n := range []int{0, 1, odictScan, odictScan + 1, 3 * odictScan} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			d := newODict()
			for i := range n {
				d.Set(fmt.Sprint("k", i), i)
			}
			d.Set("k0", "again") // keeps its position
			c := d.Copy()
			o := newODict()
			o.Set("k1", "merged")
			o.Set("new", true)
			m := d.merged(o)
			c.Set("onlycopy", 1)
			for i := range n {
				k := fmt.Sprint("k", i)
				if d.keys[i] != k {
					t.Fatalf("key %d = %q, want %q", i, d.keys[i], k)
				}
				want := any(i)
				if i == 0 {
					want = "again"
				}
				if v, ok := d.Get(k); !ok || v != want {
					t.Fatalf("Get(%q) = %v, %v; want %v", k, v, ok, want)
				}
				if v, _ := c.Get(k); v != want {
					t.Fatalf("copy: Get(%q) = %v, want %v", k, v, want)
				}
			}
			if d.Has("onlycopy") || d.Has("new") || d.Len() != max(n, 1) {
				t.Fatalf("original changed by its copy or merge: %v", d.keys)
			}
			if v, _ := m.Get("new"); v != true || m.Len() != max(n, 2)+1 {
				t.Fatalf("merged = %v %v", m.keys, m.vals)
			}
			if n > 1 {
				if v, _ := m.Get("k1"); v != "merged" || m.keys[1] != "k1" {
					t.Fatalf("merged k1 = %v at %q", v, m.keys[1])
				}
			}
			if d.Has("absent") || c.Has("absent") {
				t.Fatal("found a key never set")
			}
		})
	}
}

func TestVarsOfMerged_MatchesVarsOf(t *testing.T) {
	dict := func(kv ...any) *odict {
		d := newODict()
		for i := 0; i < len(kv); i += 2 {
			d.Set(kv[i].(string), kv[i+1])
		}
		return d
	}
	tests := []struct {
		name string
		d, o *odict
	}{
		{"both empty", newODict(), newODict()},
		{"nil base", nil, dict("a", "1")},
		{"no overlay", dict("a", "1", "b", true), newODict()},
		{"override in place", dict("port", "22", "name", "x"), dict("port", "ssh")},
		{"appended", dict("port", "22"), dict("chain", "INPUT", "actname", "a")},
		{"case after exact", dict("port", "22"), dict("Port", "arg", "port", "init")},
		{"case in base", dict("Name", "j"), dict("name", "arg")},
		{"none values", dict("a", nil, "b", "2", "maxlines", int64(3)), dict("a", "x", "c", nil)},
		{"none overrides", dict("a", "1"), dict("A", nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.d
			if base == nil {
				base = newODict()
			}
			want := varsOf(base.merged(tt.o))
			if got := varsOfMerged(tt.d, tt.o); !reflect.DeepEqual(got, want) {
				t.Fatalf("varsOfMerged = %v, want %v", got, want)
			}
		})
	}
}

func FuzzLower(f *testing.F) {
	for _, s := range []string{"", "failregex", "known/FailRegex", "ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{", "bantime.increment", "ünï_ß", "abcdefgZ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := lower(s), strings.ToLower(s); got != want {
			t.Fatalf("lower(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestLower_EveryByte(t *testing.T) {
	for c := range 256 {
		for pos := range 9 {
			s := []byte("abcdefghi")
			s[pos] = byte(c)
			if got, want := lower(string(s)), strings.ToLower(string(s)); got != want {
				t.Fatalf("lower(%q) = %q, want %q", s, got, want)
			}
		}
	}
}
