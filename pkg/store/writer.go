package store

import (
	"context"
	"database/sql"
	"fmt"
)

// op is one queued unit of work for the writer goroutine. Ops run in queue
// order inside a shared transaction; a batch is rolled back and its ops
// retried one transaction each if any of them fails, so one bad op cannot
// take the others down.
type op struct {
	run func(*batch) error
	// done, if set, receives the op's result: after the commit, or right
	// after run when early is set (reads that only need to see earlier
	// writes, not wait for durability).
	done     chan error
	early    bool
	answered bool
}

func (o *op) answer(err error) {
	if o.done != nil && !o.answered {
		o.answered = true
		o.done <- err
	}
}

// batch is the transaction an op runs in, with statements prepared once
// per transaction.
type batch struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (b *batch) exec(query string, args ...any) (sql.Result, error) {
	st, ok := b.stmts[query]
	if !ok {
		var err error
		if st, err = b.tx.PrepareContext(b.ctx, query); err != nil {
			return nil, err
		}
		b.stmts[query] = st
	}
	return st.ExecContext(b.ctx, args...)
}

func (b *batch) queryRow(query string, args ...any) *sql.Row {
	return b.tx.QueryRowContext(b.ctx, query, args...)
}

// writer owns the write connection until the queue is closed and drained.
func (s *Store) writer() {
	defer close(s.done)
	ops := make([]*op, 0, 256)
	for first := range s.queue {
		ops = append(ops[:0], first)
		ops = s.drain(ops)
		s.commit(ops)
	}
}

// drain appends the ops already waiting, without blocking.
func (s *Store) drain(ops []*op) []*op {
	for len(ops) < s.opts.MaxBatch {
		select {
		case o, ok := <-s.queue:
			if !ok {
				return ops
			}
			ops = append(ops, o)
		default:
			return ops
		}
	}
	return ops
}

func (s *Store) commit(ops []*op) {
	err := s.runTx(ops)
	if err == nil {
		for _, o := range ops {
			o.answer(nil)
		}
		return
	}
	if len(ops) == 1 {
		s.fail(ops[0], err)
		return
	}
	for _, o := range ops {
		if err := s.runTx([]*op{o}); err != nil {
			s.fail(o, err)
			continue
		}
		o.answer(nil)
	}
}

func (s *Store) fail(o *op, err error) {
	if o.done == nil {
		s.opts.Logger.Error("database write failed", "err", err)
	}
	o.answer(err)
}

func (s *Store) runTx(ops []*op) error {
	ctx := context.Background()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	b := &batch{ctx: ctx, tx: tx, stmts: make(map[string]*sql.Stmt)}
	for _, o := range ops {
		if o.run == nil {
			continue
		}
		err := o.run(b)
		if o.early {
			o.answer(err)
			err = nil
		}
		if err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// enqueue hands o to the writer; it blocks while the queue is full.
func (s *Store) enqueue(o *op) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	s.queue <- o
	return nil
}

// do queues run and waits for its result (after commit, or early).
func (s *Store) do(ctx context.Context, early bool, run func(*batch) error) error {
	o := &op{run: run, done: make(chan error, 1), early: early}
	if err := s.enqueue(o); err != nil {
		return err
	}
	select {
	case err := <-o.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Flush is the durability barrier: it returns once every write queued
// before it has been committed.
func (s *Store) Flush(ctx context.Context) error {
	return s.do(ctx, false, nil)
}
