package store

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// decodeData parses a data column (BLOB or TEXT). Like fail2ban it is
// forgiving: NULL or malformed JSON yields empty data, never an error that
// would stop a restore.
func decodeData(raw []byte) (Data, error) {
	var d Data
	if len(bytes.TrimSpace(raw)) == 0 {
		d.noFailures = true
		return d, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := expectDelim(dec, '{'); err != nil {
		return Data{noFailures: true}, err
	}
	d.noFailures = true
	for dec.More() {
		if err := decodeField(dec, &d); err != nil {
			return Data{noFailures: true}, err
		}
	}
	return d, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, t)
	}
	return nil
}

func decodeField(dec *json.Decoder, d *Data) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	key, _ := t.(string)
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	v = normalize(v)
	switch key {
	case "matches":
		d.Matches = toMatches(v)
	case "failures":
		if n, ok := v.(int64); ok {
			d.Failures, d.noFailures = int(n), false
		}
	default:
		d.Fields = append(d.Fields, Field{Key: key, Value: v})
	}
	return nil
}

// normalize turns json.Number into int64 or float64, recursively in lists.
// Nested objects are kept as raw JSON.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, err := x.Float64()
		if err != nil { // out of range: keep the text rather than ±Inf
			return json.RawMessage(x)
		}
		return f
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
		return x
	case map[string]any:
		raw, _ := json.Marshal(x)
		return json.RawMessage(raw)
	}
	return v
}

func toMatches(v any) []Match {
	list, _ := v.([]any)
	out := make([]Match, 0, len(list))
	for _, e := range list {
		switch x := e.(type) {
		case string:
			out = append(out, Match{x})
		case []any:
			m := make(Match, 0, len(x))
			for _, p := range x {
				s, _ := p.(string)
				m = append(m, s)
			}
			out = append(out, m)
		}
	}
	return out
}
