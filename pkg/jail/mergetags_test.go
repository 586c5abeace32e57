package jail

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	tagpkg "github.com/f2b/f2b/pkg/tags"
)

// TestMergeTags: the entry's tags are the union of its failures' tags,
// the latest value winning; the failures' own lists are never written
// (their filter may reuse them).
func TestMergeTags(t *testing.T) {
	type tags = map[string]string
	tests := []struct {
		name string
		in   []tags
		want tags
	}{
		{name: "one", in: []tags{{"user": "a"}}, want: tags{"user": "a"}},
		{name: "none", in: []tags{nil, nil}, want: nil},
		{name: "nil after some", in: []tags{{"user": "a"}, nil}, want: tags{"user": "a"}},
		{name: "same keys: latest wins", in: []tags{{"user": "a", "port": "1"}, {"user": "b", "port": "2"}},
			want: tags{"user": "b", "port": "2"}},
		{name: "more keys", in: []tags{{"user": "a"}, {"user": "b", "port": "2"}}, want: tags{"user": "b", "port": "2"}},
		{name: "fewer keys keep the rest", in: []tags{{"user": "a", "port": "1"}, {"user": "b"}},
			want: tags{"user": "b", "port": "1"}},
		{name: "disjoint", in: []tags{{"user": "a"}, {"port": "2"}}, want: tags{"user": "a", "port": "2"}},
		{name: "same size, other keys", in: []tags{{"user": "a", "x": "1"}, {"user": "b", "y": "2"}},
			want: tags{"user": "b", "x": "1", "y": "2"}},
		{name: "owned, then shared again", in: []tags{{"user": "a"}, {"port": "2"}, {"user": "c", "port": "3", "z": "4"}, {"user": "d"}},
			want: tags{"user": "d", "port": "3", "z": "4"}},
		{name: "from nil", in: []tags{nil, {"user": "b"}, {"port": "1"}}, want: tags{"user": "b", "port": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in, snap []tagpkg.List
			for _, m := range tt.in {
				l := tagpkg.AppendMap(nil, m)
				in = append(in, l)
				snap = append(snap, slices.Clone(l))
			}
			var e failEntry
			for i, m := range in {
				if i == 0 {
					e.tags = slices.Clone(m) // as failManager.add starts an entry
					continue
				}
				e.mergeTags(m)
			}
			if !maps.Equal(e.tags.Map(), tt.want) {
				t.Errorf("tags %v, want %v", e.tags, tt.want)
			}
			if !reflect.DeepEqual(in, snap) {
				t.Errorf("a failure's list was written: %v, was %v", in, snap)
			}
		})
	}
}
