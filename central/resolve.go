package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

func (s *sqlStorage) ResolveConflicts(ctx context.Context, dev Device, ids []string) error {
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin resolve: %w", err)
	}
	defer tx.Rollback()
	// The centre counter orders the new seqs like a push's (see pushTx).
	var last int64
	if err := tx.QueryRowContext(ctx, s.q(`SELECT last_seq FROM centres WHERE id = ?`+s.d.lockSeq), dev.CentreID).Scan(&last); err != nil {
		return fmt.Errorf("resolve: centre %s: %w", dev.CentreID, err)
	}
	seq := last
	now := s.now().UnixMilli()
	for _, id := range ids {
		var body string
		err := tx.QueryRowContext(ctx, s.q(`SELECT body FROM conflicts WHERE id = ? AND centre_id = ?`), id, dev.CentreID).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("resolve conflict %s: %w", id, err)
		}
		var c domain.Conflict
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return fmt.Errorf("conflict %s: bad stored body: %w", id, err)
		}
		if c.Resolved {
			continue
		}
		c.Resolved, c.ResolvedBy, c.ResolvedAtMS = true, dev.ID, now
		nb, err := json.Marshal(c)
		if err != nil {
			return err
		}
		seq++
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE conflicts SET body = ?, seq = ? WHERE id = ?`), string(nb), seq, id); err != nil {
			return fmt.Errorf("resolve conflict %s: %w", id, err)
		}
	}
	if seq == last {
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE centres SET last_seq = ? WHERE id = ?`), seq, dev.CentreID); err != nil {
		return err
	}
	if err := s.refreshSummary(ctx, tx, dev.CentreID, partConflicts); err != nil {
		return err
	}
	return tx.Commit()
}
