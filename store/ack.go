// The server's acknowledgement of this device's outbox, and the repair
// when a restored backup disagrees with it.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/kemnaker/blk/domain"
)

// metaInt reads an integer setting (0 when unset).
func (s *Store) metaInt(ctx context.Context, key string) (int64, error) {
	return metaIntIn(ctx, s.ro, key)
}

// metaIntIn reads an integer setting through q, a transaction when the
// value decides what the transaction writes (0 when unset). A value that is
// not a number is an error, not a zero: a zero pushed_seq or pruned_clock
// would re-send or re-stamp what must stay.
func metaIntIn(ctx context.Context, q querier, key string) (int64, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && v == "") {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read setting %s: %w", key, err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("setting %s: %w", key, err)
	}
	return n, nil
}

// PushedSeq is the highest device seq the server has durably applied.
func (s *Store) PushedSeq(ctx context.Context) (int64, error) { return s.metaInt(ctx, "pushed_seq") }

// SetPushedSeq records the server's acknowledgement (it never moves back)
// and, in the same transaction, prunes the outbox entries it acknowledged
// since the last call, keeping the one at seq (see outbox.go).
func (s *Store) SetPushedSeq(ctx context.Context, seq int64) error {
	return s.Write(ctx, func(w *Tx) error {
		cur, err := metaIntIn(ctx, w.tx, "pushed_seq")
		if err != nil {
			return err
		}
		if seq <= cur {
			return nil
		}
		var clock int64
		err = w.tx.QueryRowContext(ctx, `SELECT clock FROM outbox WHERE seq = ?`, seq).Scan(&clock)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pushed_seq", strconv.FormatInt(seq, 10)); err != nil {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pushed_clock", strconv.FormatInt(clock, 10)); err != nil {
			return err
		}
		if seq-cur > pruneBatch {
			cur = seq - pruneBatch // the rest is PruneOutbox's, in small steps
		}
		_, err = pruneTx(ctx, w.tx, cur, seq)
		return err
	})
}

// ReconcileOutbox compares what the server says it applied of this
// device's outbox (the seq and the clock of the change at it) with the
// outbox itself. They disagree only when this database was restored from a
// backup older than the last push: its new writes reuse seqs the server has
// already applied and would be skipped as duplicates. Then the unacknowledged
// entries are renumbered to follow appliedSeq (re-sending ones the server
// has is harmless: same versions), and the pull cursor goes back to 0 so the
// next pull brings everything again, this device's own later writes included.
// It reports whether it had to repair.
func (s *Store) ReconcileOutbox(ctx context.Context, appliedSeq int64, appliedClock domain.Clock) (bool, error) {
	if appliedSeq <= 0 {
		return false, nil
	}
	var clock int64
	err := s.ro.QueryRowContext(ctx, `SELECT clock FROM outbox WHERE seq = ?`, appliedSeq).Scan(&clock)
	if err == nil && domain.Clock(clock) == appliedClock {
		return false, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if err != nil {
		// The entry was pruned, or there never was one here (the seq
		// follows a repair): the acknowledgement recorded with it decides.
		pushed, err := s.PushedSeq(ctx)
		if err != nil {
			return false, err
		}
		pc, err := s.metaInt(ctx, "pushed_clock")
		if err != nil {
			return false, err
		}
		if pushed == appliedSeq && domain.Clock(pc) == appliedClock {
			return false, nil
		}
	}
	err = s.Write(ctx, func(w *Tx) error {
		pushed, err := metaIntIn(ctx, w.tx, "pushed_seq")
		if err != nil {
			return err
		}
		// Acknowledged entries go first, so the renumbered ones cannot
		// collide with them.
		if _, err := pruneTx(ctx, w.tx, 0, pushed+1); err != nil {
			return err
		}
		var first sql.NullInt64
		if err := w.tx.QueryRowContext(ctx, `SELECT min(seq) FROM outbox WHERE seq > ?`, pushed).Scan(&first); err != nil {
			return err
		}
		if first.Valid {
			if _, err := w.tx.ExecContext(ctx, `UPDATE outbox SET seq = -seq WHERE seq > ?`, pushed); err != nil {
				return fmt.Errorf("renumber outbox: %w", err)
			}
			if _, err := w.tx.ExecContext(ctx, `UPDATE outbox SET seq = -seq - ? + ? + 1 WHERE seq < 0`, first.Int64, appliedSeq); err != nil {
				return fmt.Errorf("renumber outbox: %w", err)
			}
		}
		// New writes follow the server's seq even when nothing was pending.
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM sqlite_sequence WHERE name = 'outbox'`); err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', max(?, coalesce((SELECT max(seq) FROM outbox), 0)))`, appliedSeq); err != nil {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pushed_seq", strconv.FormatInt(appliedSeq, 10)); err != nil {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pushed_clock", strconv.FormatInt(int64(appliedClock), 10)); err != nil {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pull_full", "1"); err != nil {
			return err
		}
		return setMetaTx(ctx, w.tx, "pull_cursor", "0")
	})
	return err == nil, err
}
