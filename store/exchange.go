package store

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

// This file holds what the exchange package (import, export, printed
// reports) needs from the store beyond Save and List. It only reads.

// TraineeByNIK returns the live trainee of this centre with the given NIK
// (already cleaned to digits), or nil when there is none. The import uses it
// inside its one transaction to update a person instead of adding them twice.
func (w *Tx) TraineeByNIK(nik string) (*domain.Trainee, error) {
	if nik == "" {
		return nil, nil
	}
	var id string
	err := w.tx.QueryRowContext(w.ctx, `SELECT id FROM trainees WHERE nik = ? AND centre_id = ? AND deleted = 0 ORDER BY id LIMIT 1`, nik, w.s.CentreID()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("trainee by NIK: %w", err)
	}
	t := &domain.Trainee{}
	t.ID = id
	if err := w.Get(t); err != nil {
		return nil, err
	}
	return t, nil
}
