package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"

	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/reference"
)

// seedCatalogue loads the shipped catalogue of vocational fields and
// competency units into an empty database. The rows carry no version (the
// zero Version), so any copy from the server wins over them field by field,
// and they go to no outbox: reference data is the ministry's to write. The
// file is in the format `blk-server reference import` reads (package
// reference), so the ministry can start its copy from it.
func (s *Store) seedCatalogue(ctx context.Context) error {
	var n int
	if err := s.rw.QueryRowContext(ctx, `SELECT count(*) FROM vocational_fields`).Scan(&n); err != nil || n > 0 {
		return err
	}
	rows, err := csv.NewReader(bytes.NewReader(assets.Catalogue)).ReadAll()
	if err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	recs, err := reference.Parse(rows)
	if err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	return s.Write(ctx, func(w *Tx) error {
		for _, rec := range recs {
			domain.AssignNaturalID(rec)
			if err := w.insertRow(domain.TableOf(rec), rec, versions{}); err != nil {
				return err
			}
		}
		return nil
	})
}
