package backend

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestFormatEntry(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]string
		mono time.Duration
		want string
	}{
		{name: "sshd", in: map[string]string{"_HOSTNAME": "myhost", "SYSLOG_IDENTIFIER": "sshd", "_PID": "1234", "_COMM": "sshd",
			"MESSAGE": "Failed password for root from 192.0.2.9 port 22 ssh2"},
			want: "myhost sshd[1234]: Failed password for root from 192.0.2.9 port 22 ssh2"},
		{name: "syslog pid wins", in: map[string]string{"_HOSTNAME": "mx", "SYSLOG_IDENTIFIER": "postfix/smtpd", "SYSLOG_PID": "77", "_PID": "78",
			"MESSAGE": "warning: unknown[192.0.2.1]: SASL LOGIN authentication failed"},
			want: "mx postfix/smtpd[77]: warning: unknown[192.0.2.1]: SASL LOGIN authentication failed"},
		{name: "comm when no identifier", in: map[string]string{"_COMM": "dovecot", "MESSAGE": "auth failed"}, want: "dovecot: auth failed"},
		{name: "empty identifier falls back", in: map[string]string{"SYSLOG_IDENTIFIER": "", "_COMM": "x", "_PID": "5", "MESSAGE": "m"}, want: "x[5]: m"},
		{name: "message only", in: map[string]string{"MESSAGE": "bare"}, want: "bare"},
		{name: "no message", in: map[string]string{"_HOSTNAME": "h", "_COMM": "c"}, want: "h c: "},
		{name: "newline escaped", in: map[string]string{"_COMM": "c", "MESSAGE": "a\nb"}, want: `c: a\nb`},
		{name: "kernel source monotonic", in: map[string]string{"SYSLOG_IDENTIFIER": "kernel", "_SOURCE_MONOTONIC_TIMESTAMP": "12345678", "MESSAGE": "oops"},
			mono: time.Hour, want: "kernel: [   12.345678] oops"},
		{name: "kernel entry monotonic", in: map[string]string{"SYSLOG_IDENTIFIER": "kernel", "MESSAGE": "oops"},
			mono: 1500 * time.Millisecond, want: "kernel: [    1.500000] oops"},
		{name: "hex pid", in: map[string]string{"_COMM": "c", "SYSLOG_PID": "0x10", "MESSAGE": "m"}, want: "c[16]: m"},
		{name: "padded pid", in: map[string]string{"_COMM": "c", "SYSLOG_PID": " 42 ", "MESSAGE": "m"}, want: "c[42]: m"},
		{name: "text pid", in: map[string]string{"_COMM": "c", "SYSLOG_PID": "abc", "MESSAGE": "m"}, want: "c[b'abc']: m"},
		{name: "invalid utf-8 via encoding", in: map[string]string{"_COMM": "c", "MESSAGE": "caf\xe9"}, want: "c: caf\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatEntry(tt.in, tt.mono, decodeUTF8); got != tt.want {
				t.Fatalf("FormatEntry = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEntryTime(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]string
		want time.Time
	}{
		{name: "entry realtime", in: map[string]string{}, want: time.UnixMicro(1764073000123456)},
		{name: "source realtime", in: map[string]string{"_SOURCE_REALTIME_TIMESTAMP": "1764072999000001"}, want: time.UnixMicro(1764072999000001)},
		{name: "bad source realtime", in: map[string]string{"_SOURCE_REALTIME_TIMESTAMP": "x"}, want: time.UnixMicro(1764073000123456)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EntryTime(tt.in, 1764073000123456); !got.Equal(tt.want) {
				t.Fatalf("EntryTime = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestJournal_Matches(t *testing.T) {
	j, err := newJournalState(JournalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		add     []string
		del     []string
		want    [][]string
		wantErr string
	}{
		{name: "add groups", add: []string{"_SYSTEMD_UNIT=sshd.service", "+", "_COMM=sshd"},
			want: [][]string{{"_SYSTEMD_UNIT=sshd.service"}, {"_COMM=sshd"}}},
		{name: "add and-group", add: []string{"_COMM=postfix", "PRIORITY=3"},
			want: [][]string{{"_SYSTEMD_UNIT=sshd.service"}, {"_COMM=sshd"}, {"_COMM=postfix", "PRIORITY=3"}}},
		{name: "bad term", add: []string{"nofield"}, wantErr: `journal match "nofield": want FIELD=value`},
		{name: "bad field", add: []string{"lower=x"}, wantErr: `journal match "lower=x": invalid field name`},
		{name: "del one", del: []string{"_COMM=sshd"}, want: [][]string{{"_SYSTEMD_UNIT=sshd.service"}, {"_COMM=postfix", "PRIORITY=3"}}},
		{name: "del unknown", del: []string{"_COMM=it's"}, wantErr: `Match ["_COMM=it's"] not found`},
		{name: "del all", del: []string{}, want: [][]string{}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			var err error
			if s.add != nil {
				err = j.AddMatch(s.add)
			} else {
				err = j.DelMatch(s.del)
			}
			if s.wantErr != "" {
				if err == nil || err.Error() != s.wantErr {
					t.Fatalf("err = %v, want %q", err, s.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := j.Matches()
			if !slices.EqualFunc(got, s.want, slices.Equal) {
				t.Fatalf("Matches() = %q, want %q", got, s.want)
			}
		})
	}
	var nf *MatchNotFoundError
	if err := j.DelMatch([]string{"A=b"}); !errors.As(err, &nf) {
		t.Fatalf("DelMatch error %T, want *MatchNotFoundError", err)
	}
}
