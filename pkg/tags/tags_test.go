package tags

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestGetSet(t *testing.T) {
	var l List
	if _, ok := l.Get("user"); ok {
		t.Fatal("empty list has user")
	}
	l = l.Set("user", "a").Set("ip", "192.0.2.1").Set("user", "b")
	want := List{{"user", "b"}, {"ip", "192.0.2.1"}}
	if !slices.Equal(l, want) {
		t.Fatalf("got %v, want %v", l, want)
	}
	if v, ok := l.Get("user"); !ok || v != "b" {
		t.Errorf("Get(user) = %q, %v", v, ok)
	}
	if got := slices.Clone(l).Delete("user"); !slices.Equal(got, List{{"ip", "192.0.2.1"}}) {
		t.Errorf("Delete(user) = %v", got)
	}
	if got := slices.Clone(l).Delete("port"); !slices.Equal(got, l) {
		t.Errorf("Delete(port) = %v, want the list unchanged", got)
	}
	if got := AppendSorted(List{{"z", "0"}}, l); !slices.Equal(got, List{{"z", "0"}, {"ip", "192.0.2.1"}, {"user", "b"}}) {
		t.Errorf("AppendSorted = %v", got)
	}
	if l.Has("port") {
		t.Error("Has(port) on a list without it")
	}
	if got := l.String(); got != "{user=b, ip=192.0.2.1}" {
		t.Errorf("String() = %q", got)
	}
}

func TestAppendMapSorted(t *testing.T) {
	tests := []struct {
		in   map[string]string
		want List
	}{
		{nil, nil},
		{map[string]string{"b": "2", "a": "1", "c": "3"}, List{{"a", "1"}, {"b", "2"}, {"c", "3"}}},
		{map[string]string{"user": "", "ip4": "192.0.2.9"}, List{{"ip4", "192.0.2.9"}, {"user", ""}}},
	}
	for _, tt := range tests {
		if got := AppendMap(nil, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("AppendMap(nil, %v) = %v, want %v", tt.in, got, tt.want)
		}
		if got := AppendMap(nil, tt.in).Map(); !maps.Equal(got, tt.in) {
			t.Errorf("AppendMap(nil, %v).Map() = %v", tt.in, got)
		}
	}
	// AppendMap sorts only what it appends
	got := AppendMap(List{{"z", "0"}}, map[string]string{"b": "2", "a": "1"})
	if want := (List{{"z", "0"}, {"a", "1"}, {"b", "2"}}); !slices.Equal(got, want) {
		t.Errorf("AppendMap = %v, want %v", got, want)
	}
}

// parse reads "k=v,k2=v2" (test helper).
func parse(s string) List {
	var l List
	for kv := range strings.SplitSeq(s, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			l = l.Set(k, v)
		}
	}
	return l
}

// FuzzUpdate: Update gives Python's dict.update of the two maps: l's
// names keep their places, new ones follow in u's order, and u is never
// written.
func FuzzUpdate(f *testing.F) {
	f.Add("user=a,port=1", "user=b")
	f.Add("user=a", "port=2,user=c")
	f.Add("", "x=1")
	f.Add("x=1", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		l, u := parse(a), parse(b)
		u0 := slices.Clone(u)
		want := l.Map()
		if want == nil {
			want = map[string]string{}
		}
		maps.Copy(want, u.Map())
		if len(want) == 0 {
			want = nil
		}
		got := slices.Clone(l).Update(u)
		if !maps.Equal(got.Map(), want) || len(got) != len(want) {
			t.Fatalf("%v.Update(%v) = %v, want %v", l, u, got, want)
		}
		for i, tg := range l {
			if got[i].Name != tg.Name {
				t.Fatalf("%v.Update(%v) = %v: %q moved", l, u, got, tg.Name)
			}
		}
		if !slices.Equal(u, u0) {
			t.Fatalf("Update wrote its argument: %v, was %v", u, u0)
		}
	})
}
