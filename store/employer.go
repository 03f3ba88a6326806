package store

import (
	"context"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

// EmployerOutcome is a graduate's latest tracer answer that names an
// employer they work for, with the employer's satisfaction ratings
// recorded for it, newest first.
type EmployerOutcome struct {
	Outcome *domain.Outcome
	Ratings []*domain.EmployerRating
}

// LatestEmployerOutcome returns the trainee's latest answer "employed" with
// an employer named, or nil when there is none (the employer-satisfaction
// form is then not offered: there is nobody to ask).
func (s *Store) LatestEmployerOutcome(ctx context.Context, traineeID string) (*EmployerOutcome, error) {
	os, err := ListOf[*domain.Outcome](ctx, s, Query{Filters: []Filter{{Field: "trainee_id", Value: traineeID}}, OrderBy: "surveyed_on", Desc: true})
	if err != nil {
		return nil, fmt.Errorf("employer outcome: %w", err)
	}
	for _, o := range os {
		if o.Status != domain.OutcomeEmployed || o.Employer == "" {
			continue
		}
		rs, err := ListOf[*domain.EmployerRating](ctx, s, Query{Filters: []Filter{{Field: "outcome_id", Value: o.ID}}, OrderBy: "rated_on", Desc: true})
		if err != nil {
			return nil, fmt.Errorf("employer ratings: %w", err)
		}
		return &EmployerOutcome{Outcome: o, Ratings: rs}, nil
	}
	return nil, nil
}
