package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/f2b/f2b/pkg/ini"
)

// fileCache parses each file once per load (fail2ban shares parsed
// include files between readers the same way).
type fileCache struct {
	files map[string]*parsed
	// touched, when not nil, collects every file asked for (see prefetch).
	touched *[]string
}

// parsed is one file as read. It is never changed once parse returns, so
// stores built on different goroutines may share it.
type parsed struct {
	frozen   []*frozen // per section index: the section's shared map view
	file     *ini.File
	includes [2][]string // [INCLUDES] before and after, see includeList
	err      error       // parse error: fatal for the whole configuration
	skip     bool        // missing, unreadable or not UTF-8: silently contributes nothing
}

func (c *fileCache) parse(name string) *parsed {
	if c.touched != nil {
		*c.touched = append(*c.touched, name)
	}
	if p, ok := c.files[name]; ok {
		return p
	}
	p := &parsed{}
	f, err := ini.ParseFile(name)
	switch {
	case err == nil:
		p.file = f
	case errors.Is(err, ini.ErrNotUTF8), errors.Is(err, fs.ErrNotExist), isPathError(err):
		p.skip = true
	default:
		p.file, p.err = f, err
	}
	if p.file != nil {
		p.freeze()
	}
	c.files[name] = p
	return p
}

// freeze builds the section views and reads [INCLUDES] once, up front.
func (p *parsed) freeze() {
	p.frozen = make([]*frozen, len(p.file.Sections))
	for i, fs := range p.file.Sections {
		cond := ""
		if fs.Name != ini.DefaultSection {
			_, cond = splitConditional(fs.Name)
		}
		p.frozen[i] = freeze(fs, cond)
	}
	if p.file.Section("INCLUDES") != nil {
		st := newStore()
		st.merge(p)
		p.includes = [2][]string{readIncludes(st, "before"), readIncludes(st, "after")}
	}
}

func isPathError(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe)
}

// candidates lists the files of logical name base (".conf", ".d/*.conf",
// ".local", ".d/*.local"), keeping only those that exist.
func (l *loader) candidates(base string) []string {
	list := []string{base + ".conf"}
	var confs, locals []string
	if l.mayExist(base + ".d") {
		confs, locals = dirGlob(base+".d", ".conf"), dirGlob(base+".d", ".local")
	}
	list = append(list, confs...)
	list = append(list, base+".local")
	list = append(list, locals...)
	out := list[:0]
	for _, f := range list {
		if l.stat(f).exists {
			out = append(out, f)
		}
	}
	return out
}

type statResult struct{ exists, regular bool }

// stat caches os.Stat for the duration of one load: the same .local
// siblings are probed for every filter that includes common.conf.
func (l *loader) stat(name string) statResult {
	if r, ok := l.stats[name]; ok {
		return r
	}
	var r statResult
	switch typ, listed := l.listed(name); {
	case !listed:
		// known absent: no system call
	case typ == entryRegular:
		// the listing tells it is a regular file: no system call
		r = statResult{exists: true, regular: true}
	default:
		if st, err := os.Stat(name); err == nil {
			r = statResult{exists: true, regular: st.Mode().IsRegular()}
		}
	}
	if l.stats == nil {
		l.stats = map[string]statResult{}
	}
	l.stats[name] = r
	return r
}

// entryType is what a directory listing tells of one entry.
type entryType uint8

const (
	entryOther   entryType = iota // a directory, a link, ...: ask os.Stat
	entryRegular                  // a regular file, not a link
)

// mayExist is false when name is certainly absent: its directory was
// listed and holds no such entry. Most probed names (sshd.local,
// sshd.d/, ...) do not exist, and one listing per directory replaces a
// failing system call for each of them. A listed name may still be a
// dangling link, so true only means "ask the file system".
func (l *loader) mayExist(name string) bool {
	_, listed := l.listed(name)
	return listed
}

// listed looks name up in the listing of its directory: listed is false
// when the listing holds no such entry, true when it does or when the
// directory cannot be listed (then typ is entryOther).
func (l *loader) listed(name string) (typ entryType, listed bool) {
	dir, base := filepath.Split(name)
	names, ok := l.dirs[dir]
	if !ok {
		names = listDir(dir)
		if l.dirs == nil {
			l.dirs = map[string]map[string]entryType{}
		}
		l.dirs[dir] = names
	}
	if names == nil {
		return entryOther, true
	}
	typ, listed = names[base]
	return typ, listed
}

// listDir returns the entries of dir with their types as the listing
// gives them (the file system's, without a stat of each), nil when dir
// cannot be listed. The stock tree's ~100 files are all regular: the
// listing answers the stat that reading each of them asked first.
func listDir(dir string) map[string]entryType {
	if dir == "" {
		dir = "."
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	list, err := d.ReadDir(-1)
	if err != nil {
		return nil
	}
	names := make(map[string]entryType, len(list))
	for _, e := range list {
		typ := entryOther
		if e.Type().IsRegular() {
			typ = entryRegular
		}
		names[e.Name()] = typ
	}
	return names
}

// dirGlob is Python's sorted(glob("dir/*ext")): hidden names never match.
func dirGlob(dir, ext string) []string {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var out []string
	for _, n := range names {
		if !strings.HasPrefix(n, ".") && strings.HasSuffix(n, ext) {
			out = append(out, dir+"/"+n)
		}
	}
	sort.Strings(out)
	return out
}

// withLocal inserts after each file its ".local" sibling when that exists
// and is not already listed.
func (l *loader) withLocal(list []string) []string {
	out := make([]string, 0, len(list))
	for _, f := range list {
		out = append(out, f)
		local := strings.TrimSuffix(f, filepath.Ext(f)) + ".local"
		if !contains(list, local) && l.stat(local).regular {
			out = append(out, local)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// expand applies [INCLUDES] before/after recursively to list;
// seen is the chain of files whose includes led here: a file already in
// it (also as the .local sibling that withLocal adds) closes a cycle and
// is skipped with an error, as fail2ban gives up on one.
func (l *loader) expand(list, seen []string) ([]string, error) {
	var out []string
	for _, f := range l.withLocal(list) {
		if contains(seen, f) {
			l.errs.Add(ini.Pos{File: seen[len(seen)-1]}, "[INCLUDES]: include cycle through %q skipped", f)
			continue
		}
		got, err := l.includes(f, seen)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

func (l *loader) includes(name string, seen []string) ([]string, error) {
	p := l.cache.parse(name)
	if p.err != nil {
		return nil, p.err
	}
	if p.skip {
		return nil, nil
	}
	var before, after []string
	for _, which := range []string{"before", "after"} {
		for _, inc := range p.includeList(which) {
			r := inc
			if !filepath.IsAbs(inc) {
				r = pyJoin(filepath.Dir(name), inc)
			}
			if contains(seen, r) {
				l.errs.Add(ini.Pos{File: name}, "[INCLUDES] %s: include cycle through %q skipped", which, r)
				continue
			}
			got, err := l.expand([]string{r}, append(append([]string{}, seen...), name))
			if err != nil {
				return nil, err
			}
			if which == "before" {
				before = append(before, got...)
			} else {
				after = append(after, got...)
			}
		}
	}
	return append(append(before, name), after...), nil
}

// pyJoin is os.path.join for a relative second part (no cleaning, so the
// path strings compare like fail2ban's).
func pyJoin(dir, name string) string {
	if dir == "" {
		return name
	}
	if strings.HasSuffix(dir, "/") {
		return dir + name
	}
	return dir + "/" + name
}

// includeList is option `which` ("before" or "after") of [INCLUDES] of
// one file, interpolated within that file alone, one path per line.
func (p *parsed) includeList(which string) []string {
	if which == "before" {
		return p.includes[0]
	}
	return p.includes[1]
}

func readIncludes(st *store, which string) []string {
	v, err := st.get("INCLUDES", which, nil)
	if err != nil {
		return nil
	}
	return strings.Split(v, "\n")
}

// read loads logical name (e.g. "jail", "filter.d/sshd") under the base
// directory into a merged store.
func (l *loader) read(name string) (*store, error) {
	if st, ok := l.stores[name]; ok {
		return st, nil
	}
	if f, ok := l.prefetch.take(name); ok {
		return l.adopt(name, f)
	}
	base := name
	if !filepath.IsAbs(name) {
		base = pyJoin(l.dir, name)
	}
	files := l.candidates(base)
	if len(files) == 0 {
		return nil, fmt.Errorf("%w for %q under %s", errNoFiles, name, l.dir)
	}
	full, err := l.expand(files, nil)
	if err != nil {
		return nil, err
	}
	st := newStore()
	st.top = files
	for _, f := range full {
		if p := l.cache.parse(f); p.file != nil {
			st.merge(p)
		}
	}
	l.stores[name] = st
	return st, nil
}
