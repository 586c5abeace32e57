package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/f2b/f2b/pkg/pyval"
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

// varsRef is the vars of d updated by o as configparser builds them: a
// map of the merged dict's lower-cased keys (later keys win) without its
// None values.
func varsRef(d, o *odict) map[string]string {
	if d == nil {
		d = newODict()
	}
	m := map[string]string{}
	merged := d.merged(o)
	for i, k := range merged.keys {
		if v := merged.vals[i]; v != nil {
			m[lower(k)] = pyval.Str(v)
		}
	}
	return m
}

// checkVars compares every look-up of newVars(d, o) that could hit, and
// a few that miss, with varsRef.
func checkVars(t *testing.T, d, o *odict) {
	t.Helper()
	want := varsRef(d, o)
	got := newVars(d, o)
	names := []string{"", "nothere", "a", "zz"}
	for _, dict := range []*odict{d, o} {
		for i := 0; i < dict.Len(); i++ {
			names = append(names, dict.keys[i], lower(dict.keys[i]), strings.ToUpper(dict.keys[i]))
		}
	}
	for _, k := range names {
		w, wok := want[k]
		if g, ok := got.get(k); g != w || ok != wok {
			t.Fatalf("get(%q) = %q, %v; want %q, %v", k, g, ok, w, wok)
		}
		// getOptions asks mayHold before looking a template name up
		if held := d.Len() > 0 && d.Has(k) || o.Len() > 0 && o.Has(k); held && k == lower(k) && !got.mayHold(k) {
			t.Fatalf("mayHold(%q) = false, but a dict holds it", k)
		}
	}
}

func TestVars_MatchConfigparser(t *testing.T) {
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
		{"nil overlay", dict("a", "1"), nil},
		{"no overlay", dict("a", "1", "b", true), newODict()},
		{"override in place", dict("port", "22", "name", "x"), dict("port", "ssh")},
		{"appended", dict("port", "22"), dict("chain", "INPUT", "actname", "a")},
		{"case after exact", dict("port", "22"), dict("Port", "arg", "port", "init")},
		{"case in base", dict("Name", "j"), dict("name", "arg")},
		{"case twice in base", dict("Name", "1", "NAME", "2", "name", nil), dict("x", "y")},
		{"none values", dict("a", nil, "b", "2", "maxlines", int64(3)), dict("a", "x", "c", nil)},
		{"none overrides", dict("a", "1"), dict("A", nil)},
		{"none over exact", dict("a", "1", "A", "2"), dict("A", nil)},
		{"known key in overlay", dict("a", "1"), dict("known/a", "2", "b", "3")},
		{"non-ascii", dict("Ünï", "1", "ß", "2"), dict("ünï", "3", "İx", "4")},
		{"same bloom", dict("ab", "1", "ab2", "x"), dict("ab", "2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkVars(t, tt.d, tt.o) })
	}
}

// TestVars_SnapshotOfGrowingDicts: what a reader adds to its dicts after
// making the view (its [Init] options) is not seen, as with the map
// configparser is given.
func TestVars_SnapshotOfGrowingDicts(t *testing.T) {
	d, o := newODict(), newODict()
	d.Set("port", "22")
	o.Set("name", "sshd")
	v := newVars(d, o)
	want := varsRef(d, o)
	for i := range 80 { // past odictScan: the dicts get an index
		o.Set(fmt.Sprintf("init%d", i), "x")
		d.Set(fmt.Sprintf("opt%d", i), "y")
	}
	o.Set("port", "grown")
	for _, k := range []string{"port", "name", "init3", "opt70"} {
		w, wok := want[k]
		if g, ok := v.get(k); g != w || ok != wok {
			t.Fatalf("get(%q) = %q, %v after growing; want %q, %v", k, g, ok, w, wok)
		}
	}
}

func FuzzVars(f *testing.F) {
	f.Add("port=22,Name=j,a=", "Port=ssh,name=x,A=")
	f.Add("known/x=1,X=2", "x=3,known/x=4")
	f.Fuzz(func(t *testing.T, ds, os string) {
		// "k=v" entries; an empty value stands for None
		parse := func(s string) *odict {
			d := newODict()
			for _, e := range strings.Split(s, ",") {
				k, v, _ := strings.Cut(e, "=")
				if v == "" {
					d.Set(k, nil)
				} else {
					d.Set(k, v)
				}
			}
			return d
		}
		checkVars(t, parse(ds), parse(os))
	})
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
