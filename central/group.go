package central

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	gosync "sync"

	"github.com/kemnaker/blk/domain"
)

// committer is SQLite's push writer. SQLite has one writer at a time, and
// database/sql hands its single write connection to a random waiter, so
// with many devices pushing at once some waited ten times longer than
// others. Pushes instead queue here in arrival order; one goroutine takes
// every push waiting (up to groupBudget changes), applies each under its
// own savepoint in one transaction, and commits once for all of them.
// One commit per group instead of per push also writes each touched page
// to the WAL once.
type committer struct {
	s     *sqlStorage
	jobs  chan *pushJob
	quit  chan struct{}
	done  chan struct{}
	close gosync.Once
}

// groupBudget bounds the changes of one group transaction, so a push
// arriving behind a full group waits for at most one group's work.
const groupBudget = 4000

type pushJob struct {
	ctx     context.Context
	dev     Device
	changes []domain.Change
	plan    *merger // the merge worked out while queued; nil: merge in the writer
	res     PushResult
	err     error
	done    chan struct{}
}

// errClosed answers pushes that arrive while the server shuts down.
var errClosed = errors.New("server is shutting down; sync again in a moment")

func newCommitter(s *sqlStorage) *committer {
	c := &committer{s: s, jobs: make(chan *pushJob, 1024), quit: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

// submit queues one push and waits for its group to commit.
func (c *committer) submit(ctx context.Context, dev Device, changes []domain.Change, plan *merger) (PushResult, error) {
	j := &pushJob{ctx: ctx, dev: dev, changes: changes, plan: plan, done: make(chan struct{})}
	select {
	case c.jobs <- j:
	case <-c.quit:
		return PushResult{}, errClosed
	case <-ctx.Done():
		return PushResult{}, ctx.Err()
	}
	select {
	case <-j.done:
		return j.res, j.err
	case <-c.done:
		return PushResult{}, errClosed
	case <-ctx.Done():
		// The push may still commit; the device's seq makes the retry
		// harmless.
		return PushResult{}, ctx.Err()
	}
}

func (c *committer) stop() {
	c.close.Do(func() { close(c.quit) })
	<-c.done
}

func (c *committer) loop() {
	defer close(c.done)
	for {
		var first *pushJob
		select {
		case first = <-c.jobs:
		case <-c.quit:
			return
		}
		group, n := []*pushJob{first}, len(first.changes)
	fill:
		for n < groupBudget {
			select {
			case j := <-c.jobs:
				group = append(group, j)
				n += len(j.changes)
			default:
				break fill
			}
		}
		c.run(group)
	}
}

// run applies a group in one transaction. A push that fails (another
// centre's row, say) is rolled back to its savepoint and answered with its
// error; the others still commit.
func (c *committer) run(group []*pushJob) {
	ctx := context.Background() // one push's cancel must not undo the others
	finish := func(err error) {
		for _, j := range group {
			if err != nil && j.err == nil {
				j.err, j.res = err, PushResult{}
			}
			close(j.done)
		}
	}
	tx, err := c.s.rw.BeginTx(ctx, nil)
	if err != nil {
		finish(fmt.Errorf("begin push: %w", err))
		return
	}
	defer tx.Rollback()
	stmts := &txStmts{s: c.s, tx: tx}
	defer stmts.close()
	for i, j := range group {
		if err := j.ctx.Err(); err != nil {
			j.err = err // the device gave up waiting; it will send again
			continue
		}
		// Alone, a failed push rolls back with the transaction; a
		// savepoint would only copy every page it touches.
		alone := len(group) == 1
		sp := "push" + strconv.Itoa(i)
		if !alone {
			if _, err := tx.ExecContext(ctx, "SAVEPOINT "+sp); err != nil {
				finish(err)
				return
			}
		}
		waiting := len(stmts.onCommit)
		j.res, j.err = c.s.pushTx(ctx, stmts, j.dev, j.changes, j.plan)
		switch {
		case alone && j.err != nil:
			finish(nil)
			return
		case alone:
			continue
		case j.err != nil:
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO "+sp); err != nil {
				finish(err)
				return
			}
			stmts.onCommit = stmts.onCommit[:waiting] // its writes are undone
		}
		if _, err := tx.ExecContext(ctx, "RELEASE "+sp); err != nil {
			finish(err)
			return
		}
	}
	if c.s.beforeCommit != nil {
		c.s.beforeCommit()
	}
	if err := tx.Commit(); err != nil {
		finish(fmt.Errorf("commit push: %w", err))
		return
	}
	stmts.committed()
	finish(nil)
}
