package store

import (
	"context"
	"time"

	"github.com/kemnaker/blk/domain"
)

// KemandirianInput reads what the road map's assessment needs of this
// centre, through the same EachRecord the server's storage offers, so the
// PC and the server feed domain.AssessKemandirian the same records. It
// waits for the integrity check made at open (see afterCheck).
func (s *Store) KemandirianInput(ctx context.Context) (domain.KemandirianInput, error) {
	if err := s.afterCheck(ctx); err != nil {
		return domain.KemandirianInput{}, err
	}
	return domain.LoadKemandirian(func(table string, fn func(domain.Record) error) error {
		return s.EachRecord(ctx, table, fn)
	})
}

// Kemandirian assesses this centre on day (see domain.AssessKemandirian).
func (s *Store) Kemandirian(ctx context.Context, day time.Time) (domain.KemandirianAssessment, error) {
	in, err := s.KemandirianInput(ctx)
	if err != nil {
		return domain.KemandirianAssessment{}, err
	}
	return domain.AssessKemandirian(in, day), nil
}
