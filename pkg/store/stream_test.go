package store

import (
	"context"
	"errors"
	"testing"
)

// TestStore_CurrentBansFunc streams more rows than the read-ahead holds and
// checks the chunks: row order, chunk sizes, and that an error from fn
// stops the read and comes back.
func TestStore_CurrentBansFunc(t *testing.T) {
	st := memStore(t, "sshd")
	n := 8*decodeChunk + 5
	for i := range n {
		st.AddBan(ban("sshd", crashIP(i), 10, 600, 1))
	}
	errStop := errors.New("stop")
	tests := []struct {
		name      string
		stopAfter int // chunks taken before fn fails; 0: never
		want      int // bans seen
		wantErr   error
	}{
		{name: "all rows in order", want: n},
		{name: "fn error stops the read", stopAfter: 2, want: 2 * decodeChunk, wantErr: errStop},
		{name: "fn error on the first chunk", stopAfter: 1, want: decodeChunk, wantErr: errStop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen, chunks := 0, 0
			err := st.CurrentBansFunc(context.Background(), CurrentQuery{Jail: "sshd"}, func(bans []Ban) error {
				if len(bans) > decodeChunk {
					t.Errorf("chunk of %d bans, want at most %d", len(bans), decodeChunk)
				}
				for _, b := range bans {
					if b.IP != crashIP(seen) || b.Data.Matches[0].Line() != "m "+crashIP(seen) {
						t.Fatalf("ban %d = %+v, want %s", seen, b, crashIP(seen))
					}
					seen++
				}
				if chunks++; chunks == tt.stopAfter {
					return errStop
				}
				return nil
			})
			if !errors.Is(err, tt.wantErr) || seen != tt.want {
				t.Errorf("CurrentBansFunc: %d bans, err %v; want %d, %v", seen, err, tt.want, tt.wantErr)
			}
		})
	}
}
