// Changes the server refused, kept for the operator to mend.

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/kemnaker/blk/domain"
)

// Rejection is a change the server refused, with its reason.
type Rejection = domain.Rejection

// AddRejections records refused changes (a repeated one replaces the old).
func (s *Store) AddRejections(ctx context.Context, rs []Rejection) error {
	return s.Write(ctx, func(w *Tx) error {
		if len(rs) > 0 {
			w.touch("rejections")
		}
		for _, r := range rs {
			if _, err := w.tx.ExecContext(ctx, `INSERT INTO rejections (seq, tbl, row_id, field, reason, at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (seq, field) DO UPDATE SET reason = excluded.reason, at = excluded.at`,
				r.Seq, r.Table, r.RowID, r.Field, r.Reason, r.At.UTC().Format(time.RFC3339)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Rejections lists refused changes, newest first.
func (s *Store) Rejections(ctx context.Context) ([]Rejection, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT seq, tbl, row_id, field, reason, at FROM rejections ORDER BY seq DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rejection
	for rows.Next() {
		var r Rejection
		var at string
		if err := rows.Scan(&r.Seq, &r.Table, &r.RowID, &r.Field, &r.Reason, &at); err != nil {
			return nil, err
		}
		var err error
		if r.At, err = time.Parse(time.RFC3339, at); err != nil {
			return nil, fmt.Errorf("rejection of seq %d: %w", r.Seq, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
