package backend

import (
	"strings"
	"testing"
)

// entryFieldIndexRef is entryFieldIndex written plainly.
func entryFieldIndexRef(p string) int {
	name, _, ok := strings.Cut(p, "=")
	if !ok {
		return -1
	}
	for i, f := range entryFields {
		if f == name {
			return i
		}
	}
	return -1
}

func TestEntryFieldIndex(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"_HOSTNAME=h", fieldHostname},
		{"SYSLOG_IDENTIFIER=sshd", fieldIdent},
		{"_COMM=sshd", fieldComm},
		{"SYSLOG_PID=1", fieldSyslogPID},
		{"_PID=1", fieldPID},
		{"MESSAGE=", fieldMessage},
		{"_SOURCE_REALTIME_TIMESTAMP=1", fieldSourceRealtime},
		{"_SOURCE_MONOTONIC_TIMESTAMP=1", fieldSourceMonotonic},
		{"MESSAGE_ID=x", -1},
		{"_HOSTNAMEX=x", -1},
		{"SYSLOG_FACILITY=4", -1},
		{"SYSLOG_PIDX=4", -1},
		{"_PID", -1},
		{"_CMDLINE=sshd", -1},
		{"_CAP_EFFECTIVE=0", -1},
		{"_SOURCE_BOOTTIME_TIMESTAMP=1", -1},
		{"_SYSTEMD_UNIT=ssh.service", -1},
		{"S=1", -1},
		{"SYSLOG=1", -1},
		{"", -1},
	}
	for _, tt := range tests {
		if got := entryFieldIndex(tt.in); got != tt.want {
			t.Errorf("entryFieldIndex(%q) = %d, want %d", tt.in, got, tt.want)
		}
		if got := entryFieldIndexRef(tt.in); got != tt.want {
			t.Errorf("entryFieldIndexRef(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func FuzzEntryFieldIndex(f *testing.F) {
	for _, s := range entryFields {
		f.Add(s + "=v")
		f.Add(s)
		f.Add(s + "X=v")
	}
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := entryFieldIndex(p), entryFieldIndexRef(p); got != want {
			t.Fatalf("entryFieldIndex(%q) = %d, want %d", p, got, want)
		}
	})
}

// A PID copied as is must be what pidText prints.
func FuzzPlainDecimal(f *testing.F) {
	for _, s := range []string{"1", "0", "007", "123456789012345678", "1234567890123456789", "12a", "", " 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if plainDecimal(s) && pidText(s) != s {
			t.Fatalf("plainDecimal(%q) but pidText = %q", s, pidText(s))
		}
	})
}
