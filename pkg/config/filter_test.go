package config

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

type oracleFilter struct {
	FailRegex    []string `json:"failregex"`
	IgnoreRegex  []string `json:"ignoreregex"`
	PrefRegex    string   `json:"prefregex"`
	DatePattern  string   `json:"datepattern"`
	JournalMatch string   `json:"journalmatch"`
	MaxLines     int      `json:"maxlines"`
	Error        string   `json:"error,omitempty"`
}

// TestLoadFilter_StockFilters resolves every stock filter and compares the
// result with fail2ban's own FilterReader.
func TestLoadFilter_StockFilters(t *testing.T) {
	needOracle(t)
	files, _ := filepath.Glob(filepath.Join(stockDir, "filter.d", "*.conf"))
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".conf"))
	}
	out, err := exec.Command(realPython, append([]string{"testdata/filter_oracle.py", stockDir}, names...)...).Output()
	if err != nil {
		t.Fatalf("running oracle: %v", err)
	}
	var want map[string]*oracleFilter
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			fd, err := LoadFilter(stockDir, name, nil)
			if w := want[name]; w != nil && w.Error != "" {
				if err == nil {
					t.Fatalf("LoadFilter(%q) succeeded, fail2ban fails with %q", name, w.Error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := &oracleFilter{FailRegex: fd.FailRegex, IgnoreRegex: fd.IgnoreRegex, PrefRegex: fd.PrefRegex,
				DatePattern: fd.DatePattern, JournalMatch: fd.JournalMatch, MaxLines: fd.MaxLines}
			w := want[name]
			norm := func(o *oracleFilter) {
				if len(o.FailRegex) == 0 {
					o.FailRegex = nil
				}
				if len(o.IgnoreRegex) == 0 {
					o.IgnoreRegex = nil
				}
			}
			norm(got)
			norm(w)
			if !reflect.DeepEqual(got, w) {
				t.Errorf("LoadFilter(%q) =\n%+v\nwant\n%+v", name, got, w)
			}
		})
	}
}

func TestLoadFilter_Args(t *testing.T) {
	needOracle(t)
	tests := []struct {
		name    string
		in      string
		want    string // substring of the first failregex or the prefregex
		wantErr bool
	}{
		{name: "aggressive mode adds ddos regexes", in: "sshd[mode=aggressive]", want: "Did not receive identification string"},
		{name: "unknown filter", in: "no-such-filter", wantErr: true},
		{name: "bad args", in: "sshd[mode=x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fd, err := LoadFilter(stockDir, tt.in, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if !strings.Contains(strings.Join(fd.FailRegex, "\n"), tt.want) {
				t.Errorf("failregex lacks %q", tt.want)
			}
		})
	}
}
