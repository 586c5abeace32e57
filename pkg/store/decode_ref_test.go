package store

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// refDecodeData is the encoding/json based reference decoder that the fast
// hand-written one (decode.go) is checked against by FuzzDecodeData.
func refDecodeData(raw []byte) (Data, error) {
	var d Data
	if len(bytes.TrimSpace(raw)) == 0 {
		d.noFailures = true
		return d, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := refExpectDelim(dec, '{'); err != nil {
		return Data{noFailures: true}, err
	}
	d.noFailures = true
	for dec.More() {
		if err := refDecodeField(dec, &d); err != nil {
			return Data{noFailures: true}, err
		}
	}
	return d, nil
}

func refExpectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, t)
	}
	return nil
}

func refDecodeField(dec *json.Decoder, d *Data) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	key, _ := t.(string)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	v, err := refValue(raw)
	if err != nil {
		return err
	}
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

// refValue converts one raw JSON value: objects stay compact text, numbers
// become int64 or float64 (text when out of range).
func refValue(raw json.RawMessage) (any, error) {
	switch raw[0] {
	case '{':
		var b bytes.Buffer
		err := json.Compact(&b, raw)
		return json.RawMessage(b.Bytes()), err
	case '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return nil, err
		}
		out := []any{}
		for _, e := range elems {
			v, err := refValue(e)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if x, ok := v.(json.Number); ok {
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		f, err := x.Float64()
		if err != nil {
			return json.RawMessage(x), nil
		}
		return f, nil
	}
	return v, nil
}
