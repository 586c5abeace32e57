package config

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/f2b/f2b/pkg/ini"
)

// DefaultDir is fail2ban's configuration directory.
const DefaultDir = "/etc/fail2ban"

var (
	// errNoFiles: a logical name has none of its files.
	errNoFiles = errors.New("found no accessible config files")
	// ErrNoBaseDir: the configuration directory does not exist.
	ErrNoBaseDir = errors.New("base configuration directory does not exist")
)

func isReadError(err error) bool { return errors.Is(err, errNoFiles) }

// Options configure Load.
type Options struct {
	// Dir is the configuration directory; DefaultDir when empty.
	Dir string
	// Logger receives the warnings fail2ban-client would log; discarded
	// when nil.
	Logger *slog.Logger
	// Jail restricts loading to one jail section (reload <jail>); empty
	// means every section.
	Jail string
	// Main overrides general options the way fail2ban-client's command
	// line does (socket, pidfile, loglevel, logtarget, syslogsocket).
	Main map[string]string
}

// loader holds the state of one Load: parsed files and merged stores.
type loader struct {
	dir    string
	log    *slog.Logger
	cache  fileCache
	stores map[string]*store
	jails  *store
	errs   ini.ErrorList
	noLogs []string // enabled jails whose logpath matched no file
	stats  map[string]statResult
	dirs   map[string]map[string]entryType // listings for mayExist; nil value: unlistable
	timeOK map[string]bool                 // validTime's answers
	known  map[string]string               // knownName's answers
	// prefetch builds filter stores ahead on another goroutine; nil
	// when it does not run (and always in its own worker loader).
	prefetch *prefetch
}

func newLoader(opts Options) *loader {
	dir := opts.Dir
	if dir == "" {
		dir = DefaultDir
	}
	if t := strings.TrimRight(dir, "/"); t != "" {
		dir = t
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &loader{dir: dir, log: log, cache: fileCache{files: map[string]*parsed{}}, stores: map[string]*store{}}
}

// Config is a loaded configuration tree.
type Config struct {
	dir     string
	general [][]any
	jails   []*jail
	stream  [][]any
	// OK is fail2ban-client's verdict on the tree: false when it would
	// refuse to start (a fatal error, or with -t any jail error).
	ok     bool
	fatal  error
	errs   ini.ErrorList
	early  map[string]string
	noLogs []string
}

// Load reads a whole configuration tree the way fail2ban-client does. The
// returned Config is never nil; the error is an ini.ErrorList with every
// problem found (file:line: section: option: message), nil when none.
func Load(opts Options) (*Config, error) {
	l := newLoader(opts)
	c := &Config{dir: l.dir}
	if _, err := os.Stat(l.dir); err != nil {
		c.fatal = fmt.Errorf("%w: %s", ErrNoBaseDir, l.dir)
		l.errs.Add(ini.Pos{File: l.dir}, "base configuration directory does not exist")
		c.errs = l.errs
		return c, l.errs.Err()
	}
	if err := l.load(c, opts); err != nil {
		c.fatal = err
		l.addError(err)
		l.lintTree()
	}
	c.errs = append(c.errs, l.errs...)
	return c, c.errs.Err()
}

func (l *loader) load(c *Config, opts Options) error {
	general, early, err := l.general(opts.Main)
	if err != nil {
		return err
	}
	c.general, c.early = general, early
	if l.jails, err = l.read("jail"); err != nil {
		return err
	}
	l.jails.defaults.set("fail2ban_version", Version, ini.Pos{})
	l.jails.defaults.set("fail2ban_confpath", l.dir, ini.Pos{})
	names := l.jails.sections()
	if opts.Jail != "" {
		names = []string{opts.Jail}
	}
	first, reuse := l.firstPasses(names)
	l.prefetch = startPrefetch(l, l.filterHints(names, first))
	defer l.prefetch.wait()
	prep := newPreparer(len(names))
	logs := newLogFiles()
	for i, n := range names {
		if n == "INCLUDES" {
			continue
		}
		j := &jail{name: n, logFiles: logs}
		if s := l.jails.section(n); s != nil {
			j.pos = s.pos
		}
		if reuse && first[i] != nil {
			// a copy: the prefetch worker reads the hint's dict
			j.first = first[i].Copy()
		}
		if err := l.readJail(j); err != nil {
			prep.wait()
			return fmt.Errorf("jail %q: %w", n, err)
		}
		if j.cfgErr != "" {
			l.errs.Add(j.pos, "jail %q: %s", n, j.cfgErr)
		}
		l.validateJail(j)
		if j.cfgErr != "" || j.enabled() {
			c.jails = append(c.jails, j)
			prep.add(j)
		}
	}
	prep.wait()
	stream, err := l.stream(c)
	if err != nil {
		return err
	}
	c.stream = stream
	c.noLogs = l.noLogs
	for _, n := range l.noLogs {
		pos := ini.Pos{File: l.dir}
		if s := l.jails.section(n); s != nil {
			pos = s.pos
		}
		l.errs.Add(pos, "jail %q: have not found any log file", n)
	}
	c.ok = true
	for _, j := range c.jails {
		if j.cfgErr != "" {
			c.ok = false
		}
	}
	return nil
}

// lintTree parses every .conf/.local file of the tree that was not read
// yet, so that one -t run reports the syntax errors of all files, not only
// of the file that stopped the load.
func (l *loader) lintTree() {
	for _, pattern := range []string{"*", "*/*", "*/*/*"} {
		for _, ext := range []string{".conf", ".local"} {
			files, _ := filepath.Glob(filepath.Join(l.dir, pattern+ext))
			for _, f := range files {
				if _, seen := l.cache.files[f]; seen {
					continue
				}
				if p := l.cache.parse(f); p.err != nil {
					l.addError(p.err)
				}
			}
		}
	}
}

func (l *loader) addError(err error) {
	var el ini.ErrorList
	if errors.As(err, &el) {
		l.errs = append(l.errs, el...)
		return
	}
	l.errs.Add(ini.Pos{File: l.dir}, "%s", err)
}
