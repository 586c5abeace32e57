package server

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/f2b/f2b/pkg/datedetect"
	"github.com/f2b/f2b/pkg/filter"
	"github.com/f2b/f2b/pkg/jail"
	"github.com/f2b/f2b/pkg/protocol"
	"github.com/f2b/f2b/pkg/pyval"
)

// get is `get <jail> <sub> args…`.
func (j *Jail) get(sub string, args []any) (any, error) {
	switch sub {
	case "banned":
		if len(args) == 0 {
			return j.bannedList(), nil
		}
		ids := strArgs(args, 0)
		res := j.core.Banned(ids...)
		if len(ids) == 1 {
			return b2i(res[0]), nil
		}
		out := make([]any, len(res))
		for i, b := range res {
			out[i] = b2i(b)
		}
		return out, nil
	case "banip":
		withTime := len(args) > 0 && pyval.Str(args[0]) == "--with-time"
		out := []any{}
		for _, t := range j.core.TicketsByEnd() {
			if withTime {
				out = append(out, banipWithTime(t))
			} else {
				out = append(out, protocol.IPAddr(t.String()))
			}
		}
		return out, nil
	case "logpath":
		return j.logPaths(), nil
	case "logencoding":
		j.mu.Lock()
		defer j.mu.Unlock()
		return j.logencoding, nil
	case "journalmatch":
		return j.journalMatches(), nil
	case "ignoreself":
		return j.core.IgnoreSelf(), nil
	case "ignoreip":
		return j.ignoreIPList(), nil
	case "ignorecommand":
		j.mu.Lock()
		defer j.mu.Unlock()
		return j.ignorecmd, nil
	case "ignorecache":
		j.mu.Lock()
		defer j.mu.Unlock()
		return j.ignorecache, nil
	case "prefregex":
		return j.prefRegex(), nil
	case "failregex":
		return j.regexList(true), nil
	case "ignoreregex":
		return j.regexList(false), nil
	case "usedns":
		j.mu.Lock()
		defer j.mu.Unlock()
		return j.fopts.UseDNS, nil
	case "findtime":
		return number(j.core.FindTime().Seconds()), nil
	case "datepattern":
		return j.datePatternValue(), nil
	case "logtimezone":
		j.mu.Lock()
		defer j.mu.Unlock()
		return j.logtimezone, nil
	case "maxmatches":
		return int64(j.core.MaxMatches()), nil
	case "maxretry":
		return int64(j.core.MaxRetry()), nil
	case "maxlines":
		j.mu.Lock()
		defer j.mu.Unlock()
		return int64(max(j.fopts.MaxLines, 1)), nil
	case "bantime":
		bt := j.core.BanTime()
		if bt < 0 {
			return int64(-1), nil
		}
		return int64(bt / time.Second), nil
	case "actions":
		return j.actions.names(), nil
	case "action":
		name, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		a := j.actions.get(name)
		if a == nil {
			return nil, errKey("Invalid Action name: %s", name)
		}
		prop, err := argStr(args, 1)
		if err != nil {
			return nil, err
		}
		for _, m := range actionMethods {
			if m == prop {
				return nil, errUnpicklable{"cannot pickle '_thread.RLock' object"}
			}
		}
		v, ok := a.Get(prop)
		if !ok {
			return nil, pyval.NewException("AttributeError", "'CommandAction' object has no attribute "+pyval.Repr(prop))
		}
		return v, nil
	case "actionproperties", "actionmethods":
		name, err := argStr(args, 0)
		if err != nil {
			return nil, err
		}
		a := j.actions.get(name)
		if a == nil {
			return nil, errKey("Invalid Action name: %s", name)
		}
		if sub == "actionmethods" {
			return strList(actionMethods), nil
		}
		names := []string{"ESCAPE_CRE", "ESCAPE_VN_CRE", "banEpoch", "init", "target", "to_target"}
		seen := map[string]bool{}
		for _, n := range names {
			seen[n] = true
		}
		for _, p := range a.Props() {
			if !seen[p.Name] && !strings.HasPrefix(p.Name, "_") {
				names = append(names, p.Name)
				seen[p.Name] = true
			}
		}
		for _, n := range []string{"actionban", "actioncheck", "actionflush", "actionreban", "actionreload",
			"actionrepair", "actionstart", "actionstop", "actionunban", "actname", "name", "timeout"} {
			if !seen[n] {
				names = append(names, n)
				seen[n] = true
			}
		}
		sort.Strings(names)
		return strList(names), nil
	}
	if opt, ok := strings.CutPrefix(sub, "bantime."); ok {
		j.mu.Lock()
		defer j.mu.Unlock()
		return j.extraRaw[opt], nil
	}
	return nil, errException("Invalid command (no get action or not yet implemented)")
}

// errUnpicklable makes the connection answer with a bare "ERROR: …" string,
// as fail2ban does when a reply object cannot be pickled.
type errUnpicklable struct{ msg string }

func (e errUnpicklable) Error() string { return e.msg }

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func strList(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

func banipWithTime(t jail.Ticket) string {
	const layout = "2006-01-02 15:04:05"
	start := t.Time.Local().Format(layout)
	if t.Permanent() {
		return t.String() + " \t" + start + " + -1 = 9999-12-31 23:59:59"
	}
	return t.String() + " \t" + start + " + " + itoa(int64(t.BanTime/time.Second)) + " = " + t.End().Local().Format(layout)
}

func itoa(n int64) string { return pyval.Repr(n) }

func (j *Jail) bannedList() []any {
	ids := j.core.BannedIDs()
	out := make([]any, len(ids))
	for i, s := range ids {
		out[i] = protocol.IPAddr(s)
	}
	return out
}

func (j *Jail) isBanned(ip string) bool { return j.core.Banned(ip)[0] }

func (j *Jail) unbanAll(ctx context.Context) int { return j.core.UnbanAll(ctx) }

func (j *Jail) unbanIPs(ctx context.Context, ids []string, report bool) (int, error) {
	return j.core.UnbanIP(ctx, report, ids...)
}

func (j *Jail) ignoreIPList() []any {
	l := j.core.IgnoreIP().List()
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

func (j *Jail) logPaths() []any {
	if j.files == nil {
		return []any{}
	}
	return strList(j.files.Paths())
}

func (j *Jail) journalMatches() []any {
	out := []any{}
	if j.journal == nil {
		return out
	}
	for _, g := range j.journal.Matches() {
		out = append(out, strList(g))
	}
	return out
}

func (j *Jail) prefRegex() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.fopts.PrefRegex == "" {
		return ""
	}
	return filter.ExpandTags(j.fopts.PrefRegex, j.fopts.UseDNS)
}

func (j *Jail) regexList(fail bool) []any {
	j.mu.Lock()
	defer j.mu.Unlock()
	l := j.fopts.IgnoreRegex
	if fail {
		l = j.fopts.FailRegex
	}
	out := make([]any, len(l))
	for i, e := range l {
		out[i] = filter.ExpandTags(e, j.fopts.UseDNS)
	}
	return out
}

// datePatternValue is the reply of `get <jail> datepattern`: None for
// jails without a date detector (journal), else (pattern or None, name).
func (j *Jail) datePatternValue() any {
	if j.journal != nil {
		return nil
	}
	j.mu.Lock()
	p := j.datepattern
	j.mu.Unlock()
	if p == "" {
		return pyval.Tuple{nil, "Default Detectors"}
	}
	d, err := datedetect.New(datedetect.Options{Pattern: p})
	if err != nil {
		return pyval.Tuple{p, p}
	}
	// Several templates ({DATE} expands to all defaults) read as the
	// default detectors, as in fail2ban.
	if t := d.Templates(); len(t) == 1 {
		return pyval.Tuple{p, t[0]}
	}
	return pyval.Tuple{nil, "Default Detectors"}
}

// status is the reply of `status <jail> [flavor]`.
func (j *Jail) status(flavor string) any {
	st := j.core.Status()
	var fileEntry pyval.Tuple
	if j.journal != nil {
		var groups []string
		for _, g := range j.journal.Matches() {
			groups = append(groups, strings.Join(g, " "))
		}
		fileEntry = pyval.Tuple{"Journal matches", []any{strings.Join(groups, " + ")}}
		if len(groups) == 0 {
			fileEntry = pyval.Tuple{"Journal matches", []any{}}
		}
	} else {
		fileEntry = pyval.Tuple{"File list", j.logPaths()}
	}
	if flavor == "stats" {
		return []any{j.kind,
			pyval.Tuple{int64(st.CurrentlyFailed), int64(st.TotalFailed)},
			pyval.Tuple{int64(st.CurrentlyBanned), int64(st.TotalBanned)}}
	}
	filt := []any{
		pyval.Tuple{"Currently failed", int64(st.CurrentlyFailed)},
		pyval.Tuple{"Total failed", int64(st.TotalFailed)},
		fileEntry,
	}
	acts := []any{
		pyval.Tuple{"Currently banned", int64(st.CurrentlyBanned)},
		pyval.Tuple{"Total banned", int64(st.TotalBanned)},
	}
	if flavor != "short" {
		ips := make([]any, len(st.BannedIPs))
		for i, s := range st.BannedIPs {
			ips[i] = protocol.IPAddr(s)
		}
		acts = append(acts, pyval.Tuple{"Banned IP list", ips})
	}
	return []any{pyval.Tuple{"Filter", filt}, pyval.Tuple{"Actions", acts}}
}
