package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/domain"
)

// seedCatalogue loads the shipped catalogue of vocational fields and
// competency units into an empty database. The rows carry no version (the
// zero Version), so any copy from the server wins over them field by field,
// and they go to no outbox: reference data is the ministry's to write.
func (s *Store) seedCatalogue(ctx context.Context) error {
	var n int
	if err := s.rw.QueryRowContext(ctx, `SELECT count(*) FROM vocational_fields`).Scan(&n); err != nil || n > 0 {
		return err
	}
	rows, err := csv.NewReader(bytes.NewReader(assets.Catalogue)).ReadAll()
	if err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	return s.Write(ctx, func(w *Tx) error {
		seen := map[string]bool{}
		for i, r := range rows[1:] {
			if len(r) != 6 {
				return fmt.Errorf("catalogue row %d: %d columns, want 6", i+2, len(r))
			}
			jp, err := strconv.ParseInt(r[5], 10, 64)
			if err != nil {
				return fmt.Errorf("catalogue row %d: jp: %w", i+2, err)
			}
			if !seen[r[0]] {
				seen[r[0]] = true
				f := &domain.VocationalField{Code: r[0], NameID: r[1], NameEN: r[2]}
				domain.AssignNaturalID(f)
				if err := w.insertRow(domain.TableOf(f), f, versions{}); err != nil {
					return err
				}
			}
			u := &domain.CompetencyUnit{FieldCode: r[0], Code: r[3], Title: r[4], JP: jp}
			domain.AssignNaturalID(u)
			if err := w.insertRow(domain.TableOf(u), u, versions{}); err != nil {
				return err
			}
		}
		return nil
	})
}
