package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// MemoryPath opens a private in-memory database.
const MemoryPath = ":memory:"

// Store is an open fail2ban database. Its methods are safe for concurrent use.
type Store struct {
	opts Options
	wdb  *sql.DB // the writer's single connection
	rdb  *sql.DB // readers (== wdb for :memory:)

	mu     sync.RWMutex // guards queue against close while sending
	closed bool
	queue  chan *op
	done   chan struct{} // closed when the writer has exited

	purgeAge   atomic.Int64 // seconds
	maxMatches atomic.Int64
}

// Open opens or creates the database at opts.Path. A new file gets
// fail2ban's version-4 schema; an older fail2ban file (version 1–3) is first
// copied to "<path>.<YYYYmmdd-HHMMSS>" (UTC) and then upgraded. As fail2ban
// does when a database is set, every jail is marked disabled until AddJail.
func Open(ctx context.Context, opts Options) (*Store, error) {
	opts.setDefaults()
	if strings.ContainsRune(opts.Path, '?') {
		return nil, fmt.Errorf("open database %q: path must not contain '?'", opts.Path)
	}
	s := &Store{opts: opts, queue: make(chan *op, opts.QueueSize), done: make(chan struct{})}
	s.purgeAge.Store(int64(opts.PurgeAge / time.Second))
	s.maxMatches.Store(int64(opts.MaxMatches))
	if err := s.openDBs(); err != nil {
		return nil, fmt.Errorf("open database %q: %w", opts.Path, err)
	}
	if err := s.prepare(ctx); err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("open database %q: %w", opts.Path, err)
	}
	go s.writer()
	return s, nil
}

func (s *Store) memory() bool { return s.opts.Path == MemoryPath || s.opts.Path == "" }

func (s *Store) openDBs() error {
	if s.memory() {
		db, err := sql.Open("sqlite", ":memory:?_pragma=foreign_keys(1)")
		if err != nil {
			return err
		}
		db.SetMaxOpenConns(1)
		db.SetConnMaxLifetime(0)
		s.wdb, s.rdb = db, db
		return nil
	}
	// WAL keeps committed transactions across a crash of the process and
	// lets restores read while the writer commits; NORMAL skips the fsync
	// per commit that FULL would cost (fail2ban itself runs with OFF).
	base := s.opts.Path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-16384)"
	w, err := sql.Open("sqlite", base+"&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return err
	}
	s.wdb, s.rdb = w, r
	return nil
}

func (s *Store) closeDBs() error {
	err := s.wdb.Close()
	if s.rdb != s.wdb {
		if rerr := s.rdb.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// prepare creates or upgrades the schema and disables all jails, in one
// transaction.
func (s *Store) prepare(ctx context.Context) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	v, err := readVersion(ctx, tx)
	if err != nil {
		return fmt.Errorf("reading version: %w", err)
	}
	switch {
	case v == 0:
		if err := create(ctx, tx); err != nil {
			return err
		}
		s.opts.Logger.Warn(fmt.Sprintf("New database created. Version '%d'", SchemaVersion))
	case v > SchemaVersion:
		return fmt.Errorf("version %d: %w", v, ErrFutureVersion)
	case v < SchemaVersion:
		if err := s.backup(); err != nil {
			return err
		}
		if err := upgrade(ctx, tx, v); err != nil {
			return err
		}
		s.opts.Logger.Warn(fmt.Sprintf("Database updated from '%d' to '%d'", v, SchemaVersion))
	}
	if _, err := tx.ExecContext(ctx, "UPDATE jails SET enabled=0"); err != nil {
		return err
	}
	return tx.Commit()
}

// backup copies the file before an upgrade, as fail2ban does.
func (s *Store) backup() error {
	if s.memory() {
		return nil
	}
	name := s.opts.Path + "." + s.opts.Now().UTC().Format("20060102-150405")
	if _, err := os.Stat(name); err == nil {
		return nil
	}
	src, err := os.Open(s.opts.Path)
	if err != nil {
		return fmt.Errorf("backup before upgrade: %w", err)
	}
	defer src.Close()
	dst, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup before upgrade: %w", err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("backup before upgrade %q: %w", name, err)
	}
	s.opts.Logger.Info("database backup created", "path", name)
	return dst.Close()
}

// Path returns the database file name (dbfile).
func (s *Store) Path() string { return s.opts.Path }

// PurgeAge returns dbpurgeage.
func (s *Store) PurgeAge() time.Duration { return time.Duration(s.purgeAge.Load()) * time.Second }

// SetPurgeAge sets dbpurgeage (whole seconds).
func (s *Store) SetPurgeAge(d time.Duration) { s.purgeAge.Store(int64(d / time.Second)) }

// MaxMatches returns dbmaxmatches.
func (s *Store) MaxMatches() int { return int(s.maxMatches.Load()) }

// SetMaxMatches sets dbmaxmatches; 0 stores bans without matches.
func (s *Store) SetMaxMatches(n int) { s.maxMatches.Store(int64(n)) }

// Close drains the write queue, commits it and closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.closed = true
	close(s.queue)
	s.mu.Unlock()
	<-s.done
	return s.closeDBs()
}
