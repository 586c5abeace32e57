package config

// odict is an insertion-ordered string-keyed map: the Python dict that
// fail2ban's readers iterate, whose order decides the stream's order.
//
// Keys and values are parallel slices. Most dicts are small and copied
// more often than searched, so a look-up scans the keys; a dict grown past
// odictScan keys gets an index. Only changes build it, so that reading a
// dict from several goroutines stays safe.
type odict struct {
	keys []string
	vals []any
	idx  map[string]int // nil until needed, see find
}

// odictScan is the size up to which a look-up scans the keys: comparing
// short strings of mostly different lengths costs about one hash per key
// and allocates nothing. The stock tree's largest dicts (an iptables
// action's ~45 options) stay below it: an index made no run faster.
const odictScan = 64

func newODict() *odict { return &odict{} }

func (d *odict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.keys)
}

// find returns the position of k, -1 when absent.
func (d *odict) find(k string) int { return keyIndex(d.keys, d.idx, k) }

// keyIndex returns the position of k in keys, -1 when absent: through idx
// once it is built, else by a scan (short lists).
func keyIndex(keys []string, idx map[string]int, k string) int {
	if idx != nil {
		if i, ok := idx[k]; ok {
			return i
		}
		return -1
	}
	for i, key := range keys {
		if key == k {
			return i
		}
	}
	return -1
}

// findBytes is find for a key held in a byte slice.
func (d *odict) findBytes(k []byte) int {
	if d.idx != nil {
		if i, ok := d.idx[string(k)]; ok {
			return i
		}
		return -1
	}
	for i, key := range d.keys {
		if key == string(k) {
			return i
		}
	}
	return -1
}

func (d *odict) Get(k string) (any, bool) {
	if d == nil {
		return nil, false
	}
	if i := d.find(k); i >= 0 {
		return d.vals[i], true
	}
	return nil, false
}

func (d *odict) Has(k string) bool { _, ok := d.Get(k); return ok }

// Set stores v, keeping the original position of an existing key.
func (d *odict) Set(k string, v any) {
	if i := d.find(k); i >= 0 {
		d.vals[i] = v
		return
	}
	d.keys, d.idx = addKey(d.keys, d.idx, k, odictScan)
	d.vals = append(d.vals, v)
}

// add is Set for a key the dict does not hold: no look-up first.
func (d *odict) add(k string, v any) {
	d.keys, d.idx = addKey(d.keys, d.idx, k, odictScan)
	d.vals = append(d.vals, v)
}

// index builds the index once the dict is past odictScan keys.
func (d *odict) index() { d.idx = indexPast(d.keys, d.idx, odictScan) }

// addKey appends k, a key not in keys yet, keeping idx (nil until then)
// current and building it once keys grow past scan.
func addKey(keys []string, idx map[string]int, k string, scan int) ([]string, map[string]int) {
	if idx != nil {
		idx[k] = len(keys)
	}
	keys = append(keys, k)
	return keys, indexPast(keys, idx, scan)
}

// indexPast returns idx, built from keys if there is none yet and keys
// are more than scan.
func indexPast(keys []string, idx map[string]int, scan int) map[string]int {
	if idx != nil || len(keys) <= scan {
		return idx
	}
	idx = make(map[string]int, len(keys)+8)
	for i, key := range keys {
		idx[key] = i
	}
	return idx
}

func (d *odict) Copy() *odict { return d.copyCap(0) }

// copyCap copies d with room for extra more keys.
func (d *odict) copyCap(extra int) *odict {
	c := &odict{keys: make([]string, len(d.keys), len(d.keys)+extra), vals: make([]any, len(d.vals), len(d.vals)+extra)}
	copy(c.keys, d.keys)
	copy(c.vals, d.vals)
	c.index()
	return c
}

// merged returns Python's {**d, **o}: a copy of d updated by o. Like
// fail2ban's _merge_dicts it returns d itself when o is empty.
func (d *odict) merged(o *odict) *odict {
	if o.Len() == 0 {
		return d
	}
	c := d.copyCap(len(o.keys))
	for i, k := range o.keys {
		c.Set(k, o.vals[i])
	}
	return c
}
