package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/kemnaker/blk/domain"
)

// Outbox pruning. Once the server has acknowledged a seq, the entries up
// to it are history: nothing re-sends them. What the sync design still
// needs from them is kept elsewhere or kept as a row:
//
//   - the entry at the acknowledged seq stays, and meta pushed_clock holds
//     its clock, so ReconcileOutbox can compare the server's applied
//     (seq, clock) with this database's (a restored backup differs);
//   - meta pruned_clock holds the highest clock of the removed entries,
//     the "newest legitimate version" RebaseFutureClocks restarts after;
//   - base versions of pending entries live in those entries, and
//     RebaseFutureClocks and ReconcileOutbox touch only pending entries.

// pruneBatch bounds one pruning transaction, so a database that kept its
// whole history never holds the write lock for long (the UI writes too).
const pruneBatch = 2000

// pruneTx deletes the acknowledged entries with from <= seq < upto and
// remembers their highest clock.
func pruneTx(ctx context.Context, tx *sql.Tx, from, upto int64) (int64, error) {
	var top sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(clock) FROM outbox WHERE seq >= ? AND seq < ?`, from, upto).Scan(&top); err != nil {
		return 0, err
	}
	if !top.Valid {
		return 0, nil
	}
	cur, err := metaIntIn(ctx, tx, "pruned_clock")
	if err != nil {
		return 0, err
	}
	if top.Int64 > cur {
		if err := setMetaTx(ctx, tx, "pruned_clock", strconv.FormatInt(top.Int64, 10)); err != nil {
			return 0, err
		}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE seq >= ? AND seq < ?`, from, upto)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PruneOutbox removes acknowledged outbox entries left from before
// SetPushedSeq pruned them itself (databases of earlier versions), a few
// thousand per transaction. It returns how many it removed.
func (s *Store) PruneOutbox(ctx context.Context) (int64, error) {
	var total int64
	for {
		pushed, err := s.PushedSeq(ctx)
		if err != nil {
			return total, err
		}
		var first sql.NullInt64
		if err := s.ro.QueryRowContext(ctx, `SELECT min(seq) FROM outbox`).Scan(&first); err != nil {
			return total, err
		}
		if !first.Valid || first.Int64 >= pushed {
			return total, nil
		}
		upto := min(first.Int64+pruneBatch, pushed)
		var n int64
		err = s.Write(ctx, func(w *Tx) error {
			n, err = pruneTx(ctx, w.tx, first.Int64, upto)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
	}
}

// PendingChanges returns outbox entries after seq, oldest first, at most limit.
func (s *Store) PendingChanges(ctx context.Context, after int64, limit int) ([]domain.Change, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT seq, tbl, row_id, clock, fields, base FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Change
	for rows.Next() {
		var c domain.Change
		var clock int64
		var fields, base string
		if err := rows.Scan(&c.Seq, &c.Table, &c.ID, &clock, &fields, &base); err != nil {
			return nil, err
		}
		c.Clock = domain.Clock(clock)
		c.Device = s.device
		if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
			return nil, fmt.Errorf("outbox %d: %w", c.Seq, err)
		}
		if base != "{}" {
			if err := json.Unmarshal([]byte(base), &c.Base); err != nil {
				return nil, fmt.Errorf("outbox %d: %w", c.Seq, err)
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PendingCount is the number of outbox entries the server has not
// acknowledged. Unacknowledged seqs are contiguous (AUTOINCREMENT, only
// acknowledged rows are pruned, a rolled-back insert gives its number back,
// and ReconcileOutbox renumbers without gaps), so this is the last seq
// minus the acknowledged one: constant time, where counting took seconds
// at 600k entries.
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	pushed, err := s.PushedSeq(ctx)
	if err != nil {
		return 0, err
	}
	var last int64
	if err := s.ro.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM outbox`).Scan(&last); err != nil {
		return 0, err
	}
	return int(max(last-pushed, 0)), nil
}
