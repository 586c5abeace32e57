package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

const testNow = 1700000000

func memStore(t *testing.T, jails ...string) *Store {
	t.Helper()
	st := openAt(t, MemoryPath, testNow)
	t.Cleanup(func() { st.Close() })
	for _, j := range jails {
		if err := st.AddJail(context.Background(), j); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func ban(jail, ip string, ago, bantime int64, count int) Ban {
	return Ban{Jail: jail, IP: ip, Time: time.Unix(testNow-ago, 0), BanTime: bantime, BanCount: count,
		Data: Data{Matches: []Match{{"m " + ip}}, Failures: 1}}
}

func ips(bans []Ban) []string {
	out := []string{}
	for _, b := range bans {
		out = append(out, b.IP)
	}
	return out
}

func TestStore_CurrentBans(t *testing.T) {
	rows := []Ban{
		ban("sshd", "192.0.2.1", 100, 600, 1),            // active
		ban("sshd", "192.0.2.2", 700, 600, 1),            // expired
		ban("sshd", "192.0.2.3", 100000, Permanent, 2),   // permanent
		ban("sshd", "192.0.2.4", 5000, 86400, 3),         // long ban
		ban("sshd", "192.0.2.5", 100, UnknownBanTime, 1), // legacy row
		ban("web", "192.0.2.1", 50, 600, 1),              // other jail, newer
	}
	tests := []struct {
		name string
		in   CurrentQuery
		want []string
		// wantBanTime maps IP to the expected corrected bantime.
		wantBanTime map[string]int64
	}{
		{name: "jail no limits", in: CurrentQuery{Jail: "sshd"},
			want:        []string{"192.0.2.1", "192.0.2.3", "192.0.2.4", "192.0.2.5"},
			wantBanTime: map[string]int64{"192.0.2.3": Permanent, "192.0.2.5": 600}},
		{name: "increment off: forbantime and correction", in: CurrentQuery{Jail: "sshd", ForBanTime: 600, MaxBanTime: 600, JailBanTime: 600},
			want:        []string{"192.0.2.1", "192.0.2.5"},
			wantBanTime: map[string]int64{"192.0.2.1": 600}},
		{name: "correction drops ended bans", in: CurrentQuery{Jail: "sshd", MaxBanTime: 4000},
			want:        []string{"192.0.2.1", "192.0.2.5"},
			wantBanTime: map[string]int64{"192.0.2.5": 4000}},
		{name: "forbantime permanent means no limit", in: CurrentQuery{Jail: "sshd", ForBanTime: Permanent},
			want: []string{"192.0.2.1", "192.0.2.3", "192.0.2.4", "192.0.2.5"}},
		{name: "one ip", in: CurrentQuery{Jail: "sshd", IP: "192.0.2.3"}, want: []string{"192.0.2.3"}},
		{name: "all jails grouped by ip", in: CurrentQuery{},
			want: []string{"192.0.2.1", "192.0.2.3", "192.0.2.4", "192.0.2.5"}},
		{name: "unknown jail", in: CurrentQuery{Jail: "nope"}, want: []string{}},
	}
	st := memStore(t, "sshd", "web")
	for _, b := range rows {
		if err := st.AddBan(b); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.CurrentBans(context.Background(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ips(got), tt.want) {
				t.Errorf("ips = %v, want %v", ips(got), tt.want)
			}
			for _, b := range got {
				if want, ok := tt.wantBanTime[b.IP]; ok && b.BanTime != want {
					t.Errorf("%s bantime = %d, want %d", b.IP, b.BanTime, want)
				}
			}
		})
	}
}

func TestStore_History(t *testing.T) {
	st := memStore(t, "sshd", "web")
	for _, b := range []Ban{
		ban("sshd", "192.0.2.1", 1000, 600, 1),
		ban("sshd", "192.0.2.1", 100, 1200, 2),
		ban("web", "192.0.2.1", 10, 600, 1),
	} {
		if err := st.AddBan(b); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		ip, jail  string
		overall   bool
		want      History
		wantFound bool
	}{
		{name: "jail latest", ip: "192.0.2.1", jail: "sshd",
			want: History{Count: 2, Last: time.Unix(testNow-100, 0), BanTime: 1200}, wantFound: true},
		{name: "overall sums", ip: "192.0.2.1", overall: true,
			want: History{Count: 3, Last: time.Unix(testNow-10, 0), BanTime: 1800}, wantFound: true},
		{name: "other jail", ip: "192.0.2.1", jail: "web",
			want: History{Count: 1, Last: time.Unix(testNow-10, 0), BanTime: 600}, wantFound: true},
		{name: "unknown ip", ip: "198.51.100.1", jail: "sshd"},
		{name: "unknown ip overall", ip: "198.51.100.1", overall: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found, err := st.History(context.Background(), tt.ip, tt.jail, tt.overall)
			if err != nil || found != tt.wantFound || got != tt.want {
				t.Errorf("History = %+v, %v, %v; want %+v, %v", got, found, err, tt.want, tt.wantFound)
			}
		})
	}
}

func TestStore_DelBan(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{name: "one ip", in: []string{"192.0.2.1"}, want: []string{"192.0.2.2", "192.0.2.3"}},
		{name: "absent ip is fine", in: []string{"198.51.100.1"}, want: []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}},
		{name: "all", in: nil, want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := memStore(t, "sshd", "web")
			for _, ip := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
				st.AddBan(ban("sshd", ip, 10, 600, 1))
			}
			st.AddBan(ban("web", "192.0.2.1", 10, 600, 1))
			if err := st.DelBan(context.Background(), "sshd", tt.in...); err != nil {
				t.Fatal(err)
			}
			got, err := st.CurrentBans(context.Background(), CurrentQuery{Jail: "sshd"})
			if err != nil || !reflect.DeepEqual(ips(got), tt.want) {
				t.Errorf("after DelBan = %v, %v; want %v", ips(got), err, tt.want)
			}
			recs, _ := st.BanRecords(context.Background(), "192.0.2.1", "web")
			if len(recs) != 1 {
				t.Errorf("other jail's history touched: %v", recs)
			}
		})
	}
}

func TestStore_Purge(t *testing.T) {
	st := memStore(t, "sshd", "gone", "empty")
	ctx := context.Background()
	day := int64(86400)
	st.AddBan(ban("sshd", "192.0.2.1", 2*day, 600, 1))        // old: history and bips go
	st.AddBan(ban("sshd", "192.0.2.2", 2*day, day, 1))        // old history, bips kept (3×bantime)
	st.AddBan(ban("sshd", "192.0.2.3", 10*day, Permanent, 1)) // permanent bips kept
	st.AddBan(ban("sshd", "192.0.2.4", 10, 600, 1))           // recent
	st.AddBan(ban("gone", "192.0.2.5", 2*day, 600, 1))
	st.UpdateLog("gone", "/var/log/x", LogPos{Hash: "h", Pos: 1})
	for _, j := range []string{"gone", "empty"} {
		if err := st.DelJail(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ip   string
		want int
	}{
		{name: "old history", ip: "192.0.2.1", want: 0},
		{name: "old history of long ban", ip: "192.0.2.2", want: 0},
		{name: "recent history", ip: "192.0.2.4", want: 1},
	}
	for _, tt := range tests {
		recs, err := st.BanRecords(ctx, tt.ip, "")
		if err != nil || len(recs) != tt.want {
			t.Errorf("%s: records = %v, %v; want %d", tt.name, recs, err, tt.want)
		}
	}
	for ip, want := range map[string]bool{"192.0.2.1": false, "192.0.2.2": true, "192.0.2.3": true, "192.0.2.5": false} {
		_, found, _ := st.History(ctx, ip, "", true)
		if found != want {
			t.Errorf("bips %s present = %v, want %v", ip, found, want)
		}
	}
	jails, _ := st.Jails(ctx)
	if want := []Jail{{Name: "sshd", Enabled: true}}; !reflect.DeepEqual(jails, want) {
		t.Errorf("jails after purge = %v, want %v", jails, want)
	}
	if _, ok, _ := st.Log(ctx, "gone", "/var/log/x"); ok {
		t.Error("logs row of a purged jail kept (want ON DELETE CASCADE)")
	}
}

func TestStore_AddLog(t *testing.T) {
	tests := []struct {
		name    string
		stored  *LogPos
		in      LogPos
		wantPos int64
		wantOK  bool
	}{
		{name: "new file", in: LogPos{Hash: "aa", Pos: 0}},
		{name: "same first line resumes", stored: &LogPos{Hash: "aa", Pos: 4096}, in: LogPos{Hash: "aa"}, wantPos: 4096, wantOK: true},
		{name: "rotated file starts over", stored: &LogPos{Hash: "aa", Pos: 4096}, in: LogPos{Hash: "bb"}, wantPos: 4096},
		{name: "empty file", stored: &LogPos{Hash: "", Pos: 0}, in: LogPos{Hash: ""}, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := memStore(t, "sshd")
			ctx := context.Background()
			if tt.stored != nil {
				st.UpdateLog("sshd", "/f", *tt.stored)
			}
			pos, ok, err := st.AddLog(ctx, "sshd", "/f", tt.in)
			if err != nil || ok != tt.wantOK || (ok && pos != tt.wantPos) {
				t.Errorf("AddLog = %d, %v, %v; want %d, %v", pos, ok, err, tt.wantPos, tt.wantOK)
			}
			got, found, err := st.Log(ctx, "sshd", "/f")
			if err != nil || !found {
				t.Fatalf("Log = %v, %v, %v", got, found, err)
			}
		})
	}
}

func TestStore_Merged(t *testing.T) {
	st := memStore(t, "sshd", "web")
	st.SetMaxMatches(3)
	a := ban("sshd", "192.0.2.1", 100, 600, 1)
	a.Data = Data{Matches: []Match{{"a1"}, {"a2"}}, Failures: 2, Fields: []Field{{Key: "user", Value: "old"}}}
	b := ban("web", "192.0.2.1", 10, 600, 2)
	b.Data = Data{Matches: []Match{{"b1"}, {"b2"}}, Failures: 5, Fields: []Field{{Key: "user", Value: "new"}}}
	st.AddBan(a)
	st.AddBan(b)
	got, err := st.Merged(context.Background(), "192.0.2.1", "")
	want := Data{Matches: []Match{{"a2"}, {"b1"}, {"b2"}}, Failures: 7, Fields: []Field{{Key: "user", Value: "old"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Merged = %#v, %v; want %#v", got, err, want)
	}
}

func TestStore_Closed(t *testing.T) {
	st := openAt(t, filepath.Join(t.TempDir(), "c.db"), testNow)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.AddBan(ban("sshd", "192.0.2.1", 1, 1, 1)); !errors.Is(err, ErrClosed) {
		t.Errorf("AddBan after Close = %v, want ErrClosed", err)
	}
	if err := st.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}
}

func TestStore_BadWriteDoesNotSinkBatch(t *testing.T) {
	st := memStore(t, "sshd")
	ctx := context.Background()
	st.AddBan(ban("nojail", "192.0.2.9", 1, 600, 1)) // foreign key violation
	st.AddBan(ban("sshd", "192.0.2.1", 1, 600, 1))
	if err := st.AddBanSync(ctx, ban("nojail", "192.0.2.8", 1, 600, 1)); err == nil {
		t.Error("AddBanSync into unknown jail succeeded, want foreign key error")
	}
	got, err := st.CurrentBans(ctx, CurrentQuery{})
	if err != nil || !reflect.DeepEqual(ips(got), []string{"192.0.2.1"}) {
		t.Errorf("CurrentBans = %v, %v; want the good ban only", ips(got), err)
	}
}

func TestOpen_FutureVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	st := openAt(t, path, testNow)
	st.do(context.Background(), false, func(b *batch) error {
		_, err := b.exec("UPDATE fail2banDb SET version = 9")
		return err
	})
	st.Close()
	_, err := Open(context.Background(), DefaultOptions(path))
	if !errors.Is(err, ErrFutureVersion) {
		t.Errorf("Open(version 9) = %v, want ErrFutureVersion", err)
	}
}

// TestStore_CurrentBansManyChunks restores more rows than one decode chunk
// and requires every row, in table order, with its data.
func TestStore_CurrentBansManyChunks(t *testing.T) {
	st := memStore(t, "sshd")
	n := 2*decodeChunk + 17
	for i := range n {
		st.AddBan(ban("sshd", crashIP(i), 10, 600, 1))
	}
	got, err := st.CurrentBans(context.Background(), CurrentQuery{Jail: "sshd"})
	if err != nil || len(got) != n {
		t.Fatalf("CurrentBans = %d bans, %v; want %d", len(got), err, n)
	}
	for i, b := range got {
		if b.IP != crashIP(i) || b.Data.Matches[0].Line() != "m "+crashIP(i) || b.Jail != "sshd" {
			t.Fatalf("ban %d = %+v", i, b)
		}
	}
}

func TestStore_Journal(t *testing.T) {
	tests := []struct {
		name   string
		in     []float64
		want   float64
		wantOK bool
	}{
		{name: "none"},
		{name: "one", in: []float64{1700000000.25}, want: 1700000000.25, wantOK: true},
		{name: "updated", in: []float64{1, 1700000001.5}, want: 1700000001.5, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := memStore(t, "sshd")
			for _, e := range tt.in {
				st.UpdateJournal("sshd", "2023-11-14T22:13:20", e)
			}
			iso, got, ok, err := st.Journal(context.Background(), "sshd")
			if err != nil || ok != tt.wantOK || got != tt.want || (ok && iso != "2023-11-14T22:13:20") {
				t.Errorf("Journal = %q, %v, %v, %v; want %v, %v", iso, got, ok, err, tt.want, tt.wantOK)
			}
		})
	}
}
