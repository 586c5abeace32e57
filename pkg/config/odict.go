package config

// odict is an insertion-ordered string-keyed map: the Python dict that
// fail2ban's readers iterate, whose order decides the stream's order.
type odict struct {
	keys []string
	m    map[string]any
}

func newODict() *odict { return &odict{m: map[string]any{}} }

func (d *odict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.keys)
}

func (d *odict) Get(k string) (any, bool) {
	if d == nil {
		return nil, false
	}
	v, ok := d.m[k]
	return v, ok
}

func (d *odict) Has(k string) bool { _, ok := d.Get(k); return ok }

// Set stores v, keeping the original position of an existing key.
func (d *odict) Set(k string, v any) {
	if _, ok := d.m[k]; !ok {
		d.keys = append(d.keys, k)
	}
	d.m[k] = v
}

func (d *odict) Copy() *odict { return d.copyCap(0) }

// copyCap copies d with room for extra more keys.
func (d *odict) copyCap(extra int) *odict {
	c := &odict{keys: make([]string, len(d.keys), len(d.keys)+extra), m: make(map[string]any, len(d.m)+extra)}
	copy(c.keys, d.keys)
	for k, v := range d.m {
		c.m[k] = v
	}
	return c
}

// merged returns Python's {**d, **o}: a copy of d updated by o. Like
// fail2ban's _merge_dicts it returns d itself when o is empty.
func (d *odict) merged(o *odict) *odict {
	if o.Len() == 0 {
		return d
	}
	c := d.copyCap(len(o.keys))
	for _, k := range o.keys {
		c.Set(k, o.m[k])
	}
	return c
}
