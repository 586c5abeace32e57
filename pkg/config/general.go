package config

import (
	"errors"
	"sort"

	"github.com/f2b/f2b/pkg/pyval"
)

var (
	earlyOpts = []optSpec{
		{"string", "socket", "/var/run/fail2ban/fail2ban.sock"},
		{"string", "pidfile", "/var/run/fail2ban/fail2ban.pid"},
		{"string", "loglevel", "INFO"},
		{"string", "logtarget", "/var/log/fail2ban.log"},
		{"string", "syslogsocket", "auto"},
	}
	generalOpts = []optSpec{
		{"string", "loglevel", "INFO"}, {"string", "logtarget", "STDERR"},
		{"string", "syslogsocket", "auto"}, {"string", "allowipv6", "auto"},
		{"string", "dbfile", "/var/lib/fail2ban/fail2ban.sqlite3"},
		{"int", "dbmaxmatches", nil}, {"string", "dbpurgeage", "1d"},
	}
	generalOrder = map[string]int{"thread": 0, "syslogsocket": 11, "loglevel": 12, "logtarget": 13,
		"allowipv6": 14, "dbfile": 50, "dbmaxmatches": 51, "dbpurgeage": 51}
)

// general reads fail2ban.conf (+ .d/, .local) into the leading "set"
// commands of the stream, and the early options (socket, pidfile, …)
// with main overriding them as the command line does.
func (l *loader) general(main map[string]string) ([][]any, map[string]string, error) {
	st, err := l.read("fail2ban")
	if errors.Is(err, errNoFiles) {
		l.log.Error("no fail2ban configuration files", "dir", l.dir)
		st, err = newStore(), nil
	}
	if err != nil {
		return nil, nil, err
	}
	early, err := st.getOptions("Definition", earlyOpts, nil, false, true)
	if err != nil {
		return nil, nil, err
	}
	earlyMap := map[string]string{}
	for i, k := range early.keys {
		earlyMap[k] = pyval.Str(early.vals[i])
	}
	for k, v := range main {
		earlyMap[k] = v
	}
	opts, err := st.getOptions("Definition", generalOpts, nil, false, true)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range []string{"loglevel", "logtarget", "syslogsocket"} {
		opts.Set(k, earlyMap[k])
	}
	if st.section("Thread") != nil {
		th, err := st.getOptions("Thread", []optSpec{{"int", "stacksize", nil}}, nil, false, true)
		if err != nil {
			return nil, nil, err
		}
		if th.Len() > 0 {
			var d pyval.Dict
			for i, k := range th.keys {
				d = append(d, pyval.Item{Key: k, Value: th.vals[i]})
			}
			opts.Set("thread", d)
		}
	}
	return generalStream(opts), earlyMap, nil
}

func generalStream(opts *odict) [][]any {
	var keys []string
	for _, k := range opts.keys {
		if _, ok := generalOrder[k]; ok {
			keys = append(keys, k)
		}
	}
	sort.SliceStable(keys, func(a, b int) bool {
		oa, ob := generalOrder[keys[a]], generalOrder[keys[b]]
		if oa != ob {
			return oa < ob
		}
		return keys[a] < keys[b]
	})
	out := make([][]any, 0, len(keys))
	for _, k := range keys {
		v, _ := opts.Get(k)
		out = append(out, []any{"set", k, v})
	}
	return out
}
