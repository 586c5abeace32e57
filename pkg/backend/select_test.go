package backend

import (
	"slices"
	"testing"
)

func TestSelect(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     Kind
		fellBack bool
		wantErr  string
	}{
		{name: "auto", in: "auto", want: KindPyinotify},
		{name: "pyinotify", in: "PyInotify", want: KindPyinotify},
		{name: "polling", in: "polling", want: KindPolling},
		{name: "gamin", in: "gamin", want: KindPolling, fellBack: true},
		{name: "systemd", in: "SYSTEMD", want: KindSystemd},
		{name: "unknown", in: "Foo", wantErr: "Unknown backend foo. Must be among ['pyinotify', 'gamin', 'polling', 'systemd'] or 'auto'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fb, err := Select(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want || fb != tt.fellBack {
				t.Fatalf("Select(%q) = %q, %v, %v", tt.in, got, fb, err)
			}
		})
	}
	if KindPolling.Mode() != ModePolling || KindPyinotify.Mode() != ModeInotify {
		t.Fatal("Kind.Mode mapping")
	}
}

func TestParseJournalOptions(t *testing.T) {
	tests := []struct {
		name    string
		in      map[string]string
		want    JournalOptions
		wantErr string
	}{
		{name: "path", in: map[string]string{"journalpath": "/var/log/journal"}, want: JournalOptions{Path: "/var/log/journal"}},
		{name: "files", in: map[string]string{"journalfiles": "/a/*.journal, /b/x.journal\n/c"},
			want: JournalOptions{Files: []string{"/a/*.journal", "/b/x.journal", "/c"}}},
		{name: "flags", in: map[string]string{"journalflags": " 5 ", "namespace": "ns", "rotated": "on"}, want: JournalOptions{Flags: 5, Namespace: "ns"}},
		{name: "bad flags", in: map[string]string{"journalflags": "x"}, wantErr: `journalflags: invalid integer (got "x")`},
		{name: "unknown", in: map[string]string{"logpath": "/x"}, wantErr: `backend systemd: unexpected option "logpath"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseJournalOptions(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Path != tt.want.Path || !slices.Equal(got.Files, tt.want.Files) ||
				got.Flags != tt.want.Flags || got.Namespace != tt.want.Namespace {
				t.Fatalf("ParseJournalOptions = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func FuzzSplitWords(f *testing.F) {
	for _, s := range []string{"", "a b", "a,,b\n c", " ,\n", "/var/log/journal/*.journal"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range splitWords(s) {
			if w == "" || splitWordsRE.MatchString(w) {
				t.Fatalf("splitWords(%q) gave word %q", s, w)
			}
		}
	})
}
