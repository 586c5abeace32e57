package datedetect

import "testing"

// isoPlain must only say "plain" where isoTail takes nothing.
func checkISOPlain(t *testing.T, s string, q int) {
	t.Helper()
	if !isoPlain(s, q) {
		return
	}
	var st handState
	end := isoTail(s, q, &st)
	if end != q || st.caps[7] != (span{-1, -1}) || st.caps[8] != (span{-1, -1}) {
		t.Errorf("isoPlain(%q, %d) but isoTail takes %q (fraction %v, zone %v)", s, q, s[q:end], st.caps[7], st.caps[8])
	}
}

func TestISOPlain(t *testing.T) {
	for _, tt := range []struct {
		tail  string
		plain bool
	}{
		{" 192.0.2.1 - Incorrect token used.", true},
		{"", true},
		{"   ", true},
		{" x", true},
		{"\t\x1c message", true},
		{".123 x", false},
		{",5 x", false},
		{". x", false}, // no fraction, but isoTail decides
		{"Z x", false},
		{" Z", false},
		{" UTC", false},
		{" GMT+1", false},
		{" +0100", false},
		{" -01:00", false},
		{"\u00a0+0100", false},
		{" \u00e9", false},
		{" Used", false}, // not a zone, but isoTail decides
	} {
		s := "2026-11-25T13:01:02" + tt.tail
		q := len("2026-11-25T13:01:02")
		if got := isoPlain(s, q); got != tt.plain {
			t.Errorf("isoPlain(%q) = %v, want %v", tt.tail, got, tt.plain)
		}
		checkISOPlain(t, s, q)
	}
}

func FuzzISOPlain(f *testing.F) {
	for _, s := range []string{" 192.0.2.1", ".5", " +0100", "Z", " \u00a0UTC", "\t-0130 x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tail string) {
		checkISOPlain(t, "2026-11-25T13:01:02"+tail, len("2026-11-25T13:01:02"))
	})
}
