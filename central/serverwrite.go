package central

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

// ImportReference writes national reference data as the ministry, under the
// reference sequence every device pulls.
func (s *sqlStorage) ImportReference(ctx context.Context, recs []domain.Record) error {
	for _, rec := range recs {
		if t := domain.TableOf(rec); !t.Reference {
			return fmt.Errorf("%w: %s is not reference data", ErrInvalid, t.Name)
		}
		rec.Base().CentreID = ""
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.writeAsServer(ctx, tx, "", recs); err != nil {
		return err
	}
	if err := s.audit(ctx, tx, AuditReferenceImport, "", fmt.Sprintf("%d records", len(recs))); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.wakeKemandirian() // new thresholds change every centre's level
	return nil
}

// writeAsServer merges records the ministry writes (reference data under
// centre "", or a centre's profile when it is registered) like a push from
// ServerDevice, under the centre's sequence, so every PC pulls them. Any
// invalid record refuses them all.
func (s *sqlStorage) writeAsServer(ctx context.Context, tx *sql.Tx, centre string, recs []domain.Record) error {
	dev := Device{ID: ServerDevice, CentreID: centre}
	now := s.now()
	changes := make([]domain.Change, 0, len(recs))
	for i, rec := range recs {
		t := domain.TableOf(rec)
		domain.Normalize(rec)
		domain.AssignNaturalID(rec)
		if ps := domain.Validate(rec, domain.Rules{Now: now}); ps.Invalid() {
			return fmt.Errorf("%w: %s row %d: %s", ErrInvalid, t.Name, i+1, ps.Text(domain.English))
		}
		f := map[string]any{}
		for _, fd := range t.DataFields() {
			f[fd.Name] = fd.Get(rec)
		}
		changes = append(changes, domain.Change{Seq: int64(i + 1), Table: t.Name, ID: rec.Base().ID, Clock: domain.MakeClock(now.UnixMilli(), int64(i%65536)), Fields: f})
	}
	if err := CheckChanges(dev, changes); err != nil {
		return err
	}
	m := newMerger(dev, now)
	var last int64
	if err := tx.QueryRowContext(ctx, s.q(`SELECT last_seq, centre_no FROM centres WHERE id = ?`+s.d.lockSeq), centre).Scan(&last, &m.centreNo); err != nil {
		return err
	}
	if err := m.preload(ctx, s, tx, changes); err != nil {
		return err
	}
	for _, c := range changes {
		if _, err := m.apply(c); err != nil {
			return err
		}
	}
	if len(m.rejections) > 0 {
		return fmt.Errorf("%w: %d records refused: %s", ErrInvalid, len(m.rejections), m.rejections[0].en)
	}
	stmts := &txStmts{s: s, tx: tx}
	defer stmts.close()
	if err := m.write(ctx, stmts, last); err != nil {
		return err
	}
	if err := s.updateSummaries(ctx, tx, m); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, s.q(`UPDATE centres SET last_seq = ? WHERE id = ?`), last+m.events, centre)
	return err
}
