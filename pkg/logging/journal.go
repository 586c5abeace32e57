package logging

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
)

// journalPriority maps levels to syslog priorities for the journal. NOTICE
// is 5 so that the stock recidive jail's journalmatch (PRIORITY=5) selects
// ban lines.
func journalPriority(l slog.Level) int {
	switch {
	case l < LevelMsg:
		return 7
	case l < LevelNotice:
		return 6
	case l < LevelWarning:
		return 5
	case l < LevelError:
		return 4
	case l < LevelCritical:
		return 3
	}
	return 2
}

func (t *Target) openJournal(socket string) error {
	if socket == "" {
		socket = DefaultJournalSocket
	}
	conn, err := net.Dial("unixgram", socket)
	if err != nil {
		return fmt.Errorf("connect to journal socket %q: %w", socket, err)
	}
	t.conn = conn
	return nil
}

// writeJournal sends one entry in the journal's native datagram protocol:
// KEY=value lines, or KEY, a little-endian 64-bit length and the raw value
// for values containing a newline.
func (t *Target) writeJournal(e *entry) error {
	var b bytes.Buffer
	journalField(&b, "MESSAGE", e.msg)
	journalField(&b, "PRIORITY", strconv.Itoa(journalPriority(e.level)))
	journalField(&b, "SYSLOG_IDENTIFIER", "fail2ban")
	journalField(&b, "SYSLOG_PID", strconv.Itoa(e.pid))
	journalField(&b, "LOGGER", e.name)
	t.mu.Lock()
	defer t.mu.Unlock()
	_, err := t.conn.Write(b.Bytes())
	return err
}

func journalField(b *bytes.Buffer, key, value string) {
	b.WriteString(key)
	if !strings.ContainsRune(value, '\n') {
		b.WriteByte('=')
		b.WriteString(value)
		b.WriteByte('\n')
		return
	}
	b.WriteByte('\n')
	binary.Write(b, binary.LittleEndian, uint64(len(value)))
	b.WriteString(value)
	b.WriteByte('\n')
}
