// Conflicts: the losing values of concurrent edits, and their resolution.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/kemnaker/blk/domain"
)

// SaveConflicts stores conflicts reported by the server (known ones are kept as they are).
func (s *Store) SaveConflicts(ctx context.Context, cs []domain.Conflict) error {
	return s.Write(ctx, func(w *Tx) error { return w.saveConflicts(cs) })
}

func (w *Tx) saveConflicts(cs []domain.Conflict) error {
	ctx := w.ctx
	if len(cs) > 0 {
		w.touch("conflicts")
	}
	{
		for _, c := range cs {
			wj, _ := json.Marshal(c.Winner)
			lj, _ := json.Marshal(c.Loser)
			if _, err := w.tx.ExecContext(ctx, `INSERT INTO conflicts (id, tbl, row_id, field, winner, winner_clock, winner_device, loser, loser_clock, loser_device, detected_at, resolved)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET resolved = max(resolved, excluded.resolved)`,
				c.ID, c.Table, c.RowID, c.Field, string(wj), int64(c.WinnerVer.Clock), c.WinnerVer.Device,
				string(lj), int64(c.LoserVer.Clock), c.LoserVer.Device, strconv.FormatInt(c.DetectedAtMS, 10), c.Resolved); err != nil {
				return err
			}
		}
		return nil
	}
}

// Conflicts lists conflicts, unresolved first.
func (s *Store) Conflicts(ctx context.Context) ([]domain.Conflict, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, tbl, row_id, field, winner, winner_clock, winner_device, loser, loser_clock, loser_device, detected_at, resolved FROM conflicts ORDER BY resolved, detected_at DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Conflict
	for rows.Next() {
		var c domain.Conflict
		var wj, lj, det string
		var wc, lc int64
		if err := rows.Scan(&c.ID, &c.Table, &c.RowID, &c.Field, &wj, &wc, &c.WinnerVer.Device, &lj, &lc, &c.LoserVer.Device, &det, &c.Resolved); err != nil {
			return nil, err
		}
		c.WinnerVer.Clock, c.LoserVer.Clock = domain.Clock(wc), domain.Clock(lc)
		if err := json.Unmarshal([]byte(wj), &c.Winner); err != nil {
			return nil, fmt.Errorf("conflict %s: winner: %w", c.ID, err)
		}
		if err := json.Unmarshal([]byte(lj), &c.Loser); err != nil {
			return nil, fmt.Errorf("conflict %s: loser: %w", c.ID, err)
		}
		var err error
		if c.DetectedAtMS, err = strconv.ParseInt(det, 10, 64); err != nil {
			return nil, fmt.Errorf("conflict %s: detected at: %w", c.ID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ResolveConflict marks a conflict handled. When useLoser is true the losing
// value is written again as a new local edit, so it wins everywhere.
func (s *Store) ResolveConflict(ctx context.Context, id string, useLoser bool) error {
	return s.Write(ctx, func(w *Tx) error {
		var table, row, field, loser string
		err := w.tx.QueryRowContext(ctx, `SELECT tbl, row_id, field, loser FROM conflicts WHERE id = ?`, id).Scan(&table, &row, &field, &loser)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("conflict %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if useLoser {
			t := domain.LookupTable(table)
			if t == nil {
				return fmt.Errorf("conflict %s: unknown table %s", id, table)
			}
			rec := t.New()
			rec.Base().ID = row
			if err := w.Get(rec); err != nil {
				return err
			}
			f, ok := t.Field(field)
			if !ok {
				return fmt.Errorf("conflict %s: unknown field %s", id, field)
			}
			var v any
			if err := json.Unmarshal([]byte(loser), &v); err != nil {
				return err
			}
			if err := f.Set(rec, v); err != nil {
				return err
			}
			if _, err := w.Save(rec); err != nil {
				return err
			}
		}
		w.touch("conflicts")
		_, err = w.tx.ExecContext(ctx, `UPDATE conflicts SET resolved = 1, resolution_to_send = 1 WHERE id = ? AND resolved = 0`, id)
		return err
	})
}

// ResolutionsToSend lists the conflicts resolved on this PC that the
// server has not yet been told of.
func (s *Store) ResolutionsToSend(ctx context.Context) ([]string, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id FROM conflicts WHERE resolution_to_send = 1 ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ResolutionsSent records that the server has the given resolutions.
func (s *Store) ResolutionsSent(ctx context.Context, ids []string) error {
	return s.Write(ctx, func(w *Tx) error {
		for _, id := range ids {
			if _, err := w.tx.ExecContext(ctx, `UPDATE conflicts SET resolution_to_send = 0 WHERE id = ?`, id); err != nil {
				return err
			}
		}
		return nil
	})
}
